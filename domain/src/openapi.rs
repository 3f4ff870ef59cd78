//! How the domain's newtypes look in the server's OpenAPI document: the
//! ranges their parsers accept, written once beside the types.

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::nomination::draft::pattern;
use crate::nomination::{NominationFields, NomineeRole, Relation};
use crate::{Millis, NomineeNumber};

impl PartialSchema for NomineeNumber {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(u32::from(NomineeNumber::MAX)))
            .description(Some("The number printed beside a nominee on the ballot."))
            .examples([12])
            .into()
    }
}

impl ToSchema for NomineeNumber {}

impl PartialSchema for Millis {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some("An instant in milliseconds since 1970-01-01 UTC."))
            .into()
    }
}

impl ToSchema for Millis {}

/// A nomination's fields as the JSON API takes them: strings, as a form
/// sends them, each with the pattern of what [`NominationFields::read`]
/// accepts, so that a body this allows is refused only for what a schema
/// cannot know (a community that does not exist, a likely duplicate, the
/// nominator's own number, a limit).
impl PartialSchema for NominationFields {
    fn schema() -> RefOr<Schema> {
        let text = |pattern: String, description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(pattern))
                .description(Some(description))
        };
        let choice = |values: Vec<&'static str>, description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(values))
                .description(Some(description))
        };
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "name",
                text(
                    pattern::name(),
                    "The nominee's name: 2 to 20 characters once the spaces, dots and dashes \
                     around it are set aside, none of them a control character.",
                )
                .min_length(Some(2))
                .examples(["张秀英"]),
            )
            .required("name")
            .property(
                "community",
                text(
                    pattern::community(),
                    "A community id from `GET /api/v1/places`, as a string of digits. An id \
                     that is no community's is refused with 404.",
                )
                .examples(["1"]),
            )
            .required("community")
            .property(
                "role",
                choice(
                    NomineeRole::ALL.iter().map(|r| r.as_str()).collect(),
                    "What the nominee does in the community.",
                ),
            )
            .required("role")
            .property(
                "years",
                text(
                    pattern::years(),
                    "Years serving the community, a whole number from 0 to 60, as a string.",
                )
                .examples(["12"]),
            )
            .required("years")
            .property(
                "story",
                text(
                    pattern::story(),
                    "What they did: 30 to 800 characters once trimmed (a Windows line end \
                     counts as one), with line breaks and tabs but no other control character.",
                )
                .min_length(Some(30))
                .examples([
                    "二十年如一日守护弄堂，组织志愿者为独居老人送餐，疫情期间带头守楼，居民都叫她老娘舅。",
                ]),
            )
            .required("story")
            .property(
                "relation",
                choice(
                    Relation::RESIDENTS.iter().map(|r| r.as_str()).collect(),
                    "How the nominator knows the nominee.",
                ),
            )
            .required("relation")
            .property(
                "nominee_phone",
                text(
                    pattern::nominee_phone(),
                    "The nominee's mobile number, to ask their consent by text message \
                     (optional; empty for none). The nominator's own number is refused \
                     with 409 (own_phone).",
                )
                .examples(["139 0000 0302"]),
            )
            .property(
                "my_phone",
                text(
                    pattern::my_phone(),
                    "The nominator's own mobile number, the one they signed in with, to be \
                     texted when a reviewer asks a question (optional; empty for none). \
                     Another well-formed number is refused with 409 (not_own_phone).",
                )
                .examples(["138 0000 0301"]),
            )
            .into()
    }
}

impl ToSchema for NominationFields {}

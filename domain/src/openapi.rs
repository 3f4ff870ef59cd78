//! How the domain's newtypes look in the server's OpenAPI document: the
//! ranges their parsers accept, written once beside the types.

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

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

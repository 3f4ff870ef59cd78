//! The nomination form's fields, shared by `/nominate` and the console's
//! entry for a community committee. Plain HTML: it works without JavaScript,
//! and the browser checks lengths before sending.

use alleyvote_domain::nomination::draft::{MAX_YEARS, NAME_CHARS, STORY_CHARS};
use alleyvote_domain::nomination::{NomineeRole, Relation};
use alleyvote_domain::Lang;
use leptos::prelude::*;

use super::model::StreetChoice;
use crate::i18n::use_lang;

/// The story's count as it is typed: the number only, in the counter's
/// first run of digits, so the words around it stay in the page's language.
/// Inline, not an island: it is there before the bundle arrives on a slow
/// phone, and costs the bundle nothing. Without JavaScript the counter
/// says the bounds, and the browser checks them.
const COUNT_STORY: &str = "var n=[...this.value.trim()].length,c=this.parentNode.querySelector('.counter');\
c.textContent=c.textContent.replace(/\\d+/,n);c.classList.toggle('short',n<30);c.classList.toggle('long',n>800)";

/// The chosen photo shown before sending (the same way: inline; `window.URL`,
/// since inside an inline handler a bare `URL` is `document.URL`, a string).
const PREVIEW_PHOTO: &str =
    "var f=this.files&&this.files[0],i=this.parentNode.querySelector('.photo-preview');\
if(f&&i){i.src=window.URL.createObjectURL(f);i.hidden=false}else if(i){i.hidden=true}";

/// `similar_for`: the campaign whose likely duplicates are shown while the
/// name is typed (a resident's form), right under the name.
#[component]
pub fn NominationFields(
    streets: Vec<StreetChoice>,
    committee: bool,
    #[prop(optional)] similar_for: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let groups = streets
        .into_iter()
        .map(|s| {
            let options = s
                .communities
                .into_iter()
                .map(|(id, zh, en)| view! { <option value=id.to_string()>{lang.pick(&zh, &en).to_string()}</option> })
                .collect_view();
            view! { <optgroup label=lang.pick(&s.name_zh, &s.name_en).to_string()>{options}</optgroup> }
        })
        .collect_view();
    let roles = NomineeRole::ALL
        .into_iter()
        .map(|r| {
            view! {
                <label class="choice"><input type="radio" name="role" value=r.as_str() required/>{r.label(lang)}</label>
            }
        })
        .collect_view();
    let relations = (!committee).then(|| {
        let choices = Relation::RESIDENTS
            .into_iter()
            .map(|r| view! {
                <label class="choice"><input type="radio" name="relation" value=r.as_str() required/>{r.label(lang)}</label>
            })
            .collect_view();
        view! {
            <fieldset>
                <legend>{lang.pick("您和被推荐人的关系", "How you know the nominee")}</legend>
                {choices}
            </fieldset>
        }
    });
    let story_hint = match lang {
        Lang::Zh => format!(
            "{} 到 {} 个字：做了哪些实事，帮了哪些人。",
            STORY_CHARS.start(),
            STORY_CHARS.end()
        ),
        Lang::En => format!(
            "{} to {} characters: what they did, and for whom.",
            STORY_CHARS.start(),
            STORY_CHARS.end()
        ),
    };
    let count_text = match lang {
        Lang::Zh => format!(
            "已写 0 字（{} 到 {} 字）",
            STORY_CHARS.start(),
            STORY_CHARS.end()
        ),
        Lang::En => format!(
            "0 characters ({} to {})",
            STORY_CHARS.start(),
            STORY_CHARS.end()
        ),
    };
    // The community first, then the name: the likely duplicates of that
    // name in that community show right under it while it is typed.
    let similar = similar_for.map(|slug| view! { <super::similar::SimilarWhileTyping slug/> });
    view! {
        <label>{lang.pick("所在居民区", "Community")}
            <select name="community" id="nominee-community" required>
                <option value="">{lang.pick("请选择", "Choose")}</option>
                {groups}
            </select>
        </label>
        <label>{lang.pick("被推荐人姓名", "The nominee's name")}
            <input type="text" name="name" id="nominee-name" required autocomplete="off"
                minlength=NAME_CHARS.start().to_string() maxlength=NAME_CHARS.end().to_string()/>
        </label>
        {similar}
        <fieldset>
            <legend>{lang.pick("职务", "Role")}</legend>
            {roles}
        </fieldset>
        <label>{lang.pick("任职年限（年）", "Years serving")}
            <input type="number" name="years" inputmode="numeric" min="0" max=MAX_YEARS.to_string() required/>
        </label>
        <label>{lang.pick("推荐理由", "Why you nominate them")}
            <span class="fine">{story_hint}</span>
            <textarea name="story" rows="6" required minlength=STORY_CHARS.start().to_string() maxlength=STORY_CHARS.end().to_string()
                oninput=COUNT_STORY data-testid="story"></textarea>
            <span class="fine counter" aria-live="polite" data-testid="story-count">{count_text}</span>
        </label>
        {relations}
        <label>{lang.pick("被推荐人手机号（可不填）", "The nominee's mobile (optional)")}
            <span class="fine">{lang.pick(
                "填写后，系统会给被推荐人发短信，请本人确认是否同意被推荐；号码只以加密形式保存。",
                "If given, the nominee gets a text message asking whether they agree; the number is kept only encrypted.",
            )}</span>
            <input type="tel" name="nominee_phone" inputmode="tel" maxlength="20" autocomplete="off"/>
        </label>
        {(!committee).then(|| view! {
            <label>{lang.pick("您的手机号（可不填）", "Your mobile (optional)")}
                <span class="fine">{lang.pick(
                    "填写您登录用的手机号，审核员对推荐有疑问时会发短信通知您；号码只以加密形式保存，公示结束后删除。",
                    "The number you signed in with: we text you if a reviewer has a question. Kept only encrypted, deleted after the notice.",
                )}</span>
                <input type="tel" name="my_phone" inputmode="tel" maxlength="20" autocomplete="tel"/>
            </label>
        })}
        <label>{lang.pick("照片（可不传，JPEG/PNG/WebP，不超过 8 MB）", "Photo (optional; JPEG, PNG or WebP up to 8 MB)")}
            <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" onchange=PREVIEW_PHOTO data-testid="photo"/>
            <img class="photo-preview" hidden alt=lang.pick("照片预览", "Photo preview") data-testid="photo-preview"/>
        </label>
    }
}

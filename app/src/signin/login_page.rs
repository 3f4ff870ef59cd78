//! Signing in with a text-message code, in two plain forms.

use alleyvote_domain::notice::VoterLoginError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{set_status, use_lang};

fn problem_text(lang: alleyvote_domain::Lang, code: &str, retry: Option<String>) -> String {
    let retry = retry.and_then(|s| s.parse::<i64>().ok());
    VoterLoginError::parse(code).map_or_else(
        || VoterLoginError::unknown_message(lang).to_string(),
        |e| e.message(lang, retry),
    )
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let (to, sent, error, retry, next, card) = query.with(|q| {
            (
                // The masked number the code went to; the number itself
                // stays in a cookie only the server reads.
                q.get("to"),
                q.get("sent").is_some(),
                q.get("error"),
                q.get("retry"),
                q.get("next").unwrap_or_else(|| "/nominees".into()),
                q.get("card"),
            )
        });
        // Past the thresholds the server asks for a picture's characters;
        // the picture sets its own token (a cookie), so this works without JS.
        let challenge = matches!(error.as_deref(), Some("challenge_required" | "challenge_wrong")).then(|| view! {
            <div class="challenge" data-testid="challenge">
                <img src="/login/challenge.png" width="220" height="90"
                    alt=lang.pick("验证图片：五个字母或数字", "A picture of five letters or digits")/>
                <label>
                    <span>{lang.pick("请输入图中的字符", "Type the characters in the picture")}</span>
                    <input type="text" name="challenge" autocomplete="off" autocapitalize="off" required
                        maxlength="16" data-testid="challenge-input"/>
                </label>
            </div>
        });
        let problem = error.map(|e| {
            set_status(400);
            view! { <p class="notice error" role="alert" data-testid="login-problem">{problem_text(lang, &e, retry)}</p> }
        });
        let code_step = sent.then(|| {
            let masked = to.clone().unwrap_or_default();
            let hint = match lang {
                alleyvote_domain::Lang::Zh => format!("验证码已发送到 {masked}，5 分钟内有效。"),
                alleyvote_domain::Lang::En => format!("A code was sent to {masked}. It is valid for 5 minutes."),
            };
            view! {
                <form method="post" action="/login/session" class="login" data-testid="code-form">
                    <p>{hint}</p>
                    <input type="hidden" name="next" value=next.clone()/>
                    <label>
                        <span>{lang.pick("短信验证码", "Code from the text message")}</span>
                        <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                            pattern="[0-9]{6}" required data-testid="code-input"/>
                    </label>
                    <button type="submit" class="button primary" data-testid="code-submit">{lang.pick("登录", "Sign in")}</button>
                </form>
            }
        });
        view! {
            <Title text=lang.pick("登录投票", "Sign in to vote")/>
            <h1>{lang.pick("登录投票", "Sign in to vote")}</h1>
            {problem}
            <form method="post" action="/login/code" class="login" data-testid="phone-form">
                <input type="hidden" name="next" value=next.clone()/>
                <label>
                    <span>{lang.pick("手机号码", "Mobile number")}</span>
                    <input type="tel" name="phone" inputmode="tel" autocomplete="tel" required
                        placeholder="138 0000 0000" data-testid="phone-input"/>
                </label>
                {challenge}
                <button type="submit" class="button" class:primary=!sent data-testid="phone-submit">
                    {if sent { lang.pick("重新获取验证码", "Send a new code") } else { lang.pick("获取验证码", "Send me a code") }}
                </button>
            </form>
            {code_step}
            // Residents without a mobile phone sign in with the printed card
            // their community handed out; its QR code fills the code in.
            <details class="card-login" open=card.is_some()>
                <summary>{lang.pick("没有手机？用投票卡登录", "No mobile phone? Use a ballot card")}</summary>
                <form method="post" action="/login/card" class="login" data-testid="card-form">
                    <input type="hidden" name="next" value=next.clone()/>
                    <label>
                        <span>{lang.pick("投票卡上的号码", "The code on the card")}</span>
                        <input type="text" name="card" autocomplete="off" autocapitalize="characters" maxlength="20" required
                            value=card.clone().unwrap_or_default() placeholder="ABCDE-FGHJK" data-testid="card-input"/>
                    </label>
                    <button type="submit" class="button primary" data-testid="card-submit">{lang.pick("用投票卡登录", "Sign in with the card")}</button>
                </form>
            </details>
            <p class="fine">{lang.pick("手机号只用于确认一人一票，不会公开，也不会以明文保存。", "Your number only proves one person, one vote. It is never shown or stored in clear.")}</p>
        }
    }
}

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
        let (to, sent, error, retry, next, card, wait) = query.with(|q| {
            (
                // The masked number the code went to; the number itself
                // stays in a cookie only the server reads.
                q.get("to"),
                q.get("sent").is_some(),
                q.get("error"),
                q.get("retry"),
                q.get("next").unwrap_or_else(|| "/nominees".into()),
                q.get("card"),
                q.get("wait")
                    .and_then(|w| w.parse::<u32>().ok())
                    .filter(|w| *w <= 3600),
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
        // The code step: the (masked) number stays in sight with a way to
        // change it, the code field comes first, and "send a new code" sits
        // below it with the seconds left until it may be asked for,
        // counted down by the style sheet (no script needed).
        let change_number = format!("/login?next={}", urlencoding::encode(&next));
        let code_step = sent.then(|| {
            let masked = to.clone().unwrap_or_default();
            let countdown = wait.map(|w| {
                let (before, after) = match lang {
                    alleyvote_domain::Lang::Zh => ("", " 秒后可以重新获取验证码"),
                    alleyvote_domain::Lang::En => ("A new code can be sent in ", " s"),
                };
                view! {
                    <p class="resend-wait" style=format!("--wait:{w}s;--wait-n:{w}") data-testid="resend-wait">
                        {before}<span class="countdown" data-seconds=w.to_string()></span>{after}
                    </p>
                }
            });
            view! {
                <form method="post" action="/login/session" class="login" data-testid="code-form">
                    <p class="sent-to">
                        {lang.pick("验证码已发送到 ", "A code was sent to ")}<strong data-testid="sent-to">{masked}</strong>
                        " "<a href=change_number.clone() class="change-number" data-testid="change-number">{lang.pick("换一个号码", "Use another number")}</a>
                    </p>
                    <input type="hidden" name="next" value=next.clone()/>
                    <label>
                        <span>{lang.pick("短信验证码（6 位数字，5 分钟内有效）", "Code from the text message (6 digits, valid 5 minutes)")}</span>
                        <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                            pattern="[0-9]{6}" required autofocus data-testid="code-input"/>
                    </label>
                    <button type="submit" class="button primary" data-testid="code-submit">{lang.pick("登录", "Sign in")}</button>
                </form>
                <form method="post" action="/login/code" class="resend" data-testid="resend-form">
                    <input type="hidden" name="next" value=next.clone()/>
                    <input type="hidden" name="phone" value=""/>
                    {countdown}
                    <button type="submit" class="button" data-testid="resend">{lang.pick("没收到？重新获取验证码", "No text? Send a new code")}</button>
                </form>
            }
        });
        let phone_step = (!sent).then(|| {
            view! {
                <form method="post" action="/login/code" class="login" data-testid="phone-form">
                    <input type="hidden" name="next" value=next.clone()/>
                    <label>
                        <span>{lang.pick("手机号码", "Mobile number")}</span>
                        <input type="tel" name="phone" inputmode="tel" autocomplete="tel" required
                            placeholder="138 0000 0000" data-testid="phone-input"/>
                    </label>
                    {challenge}
                    <button type="submit" class="button primary" data-testid="phone-submit">
                        {lang.pick("获取验证码", "Send me a code")}
                    </button>
                </form>
            }
        });
        // Named for what the resident came to do: nominating, or voting.
        let heading = if next.starts_with("/nominate") || next.starts_with("/my/nominations") {
            lang.pick("登录后推荐", "Sign in to nominate")
        } else {
            lang.pick("登录投票", "Sign in to vote")
        };
        view! {
            <Title text=heading/>
            <h1 data-testid="login-heading">{heading}</h1>
            {problem}
            {phone_step}
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

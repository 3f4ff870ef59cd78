//! Signing in to the console: a plain form.

use alleyvote_domain::notice::ConsoleLoginError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::i18n::{set_status, use_lang};

#[component]
pub fn ConsoleLoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let (error, retry, next) = query.with(|q| {
            (
                q.get("error"),
                q.get("retry"),
                q.get("next").unwrap_or_else(|| "/console".into()),
            )
        });
        let problem = error.map(|e| {
            let e = ConsoleLoginError::parse(&e);
            set_status(if e == Some(ConsoleLoginError::Throttled) { 429 } else { 400 });
            let retry = retry.and_then(|s| s.parse::<i64>().ok());
            let text = e.map_or_else(
                || ConsoleLoginError::unknown_message(lang).to_string(),
                |e| e.message(lang, retry),
            );
            view! { <p class="notice error" role="alert" data-testid="console-login-problem">{text}</p> }
        });
        view! {
            <Title text=lang.pick("管理后台登录", "Console sign-in")/>
            <h1>{lang.pick("管理后台登录", "Console sign-in")}</h1>
            {problem}
            <form method="post" action="/console/login" class="login" data-testid="console-login-form">
                <input type="hidden" name="next" value=next/>
                <label>
                    <span>{lang.pick("用户名", "Username")}</span>
                    <input type="text" name="username" autocomplete="username" autocapitalize="none" required data-testid="console-username"/>
                </label>
                <label>
                    <span>{lang.pick("密码", "Password")}</span>
                    <input type="password" name="password" autocomplete="current-password" required data-testid="console-password"/>
                </label>
                <button type="submit" class="button primary" data-testid="console-login-submit">{lang.pick("登录", "Sign in")}</button>
            </form>
            <p class="fine">{lang.pick("仅供评选工作人员使用。", "For the selection's organizers only.")}</p>
        }
    }
}

-- When a code was the one that signed its number in. An address the number
-- has signed in from with a code asked for there passes the number's daily
-- ceiling (strangers cannot spend a resident's codes); the codes the
-- sign-in spent along with it do not count, or a stranger's request would
-- make the stranger's address "known".
ALTER TABLE sms_codes ADD COLUMN redeemed_at_ms BIGINT;

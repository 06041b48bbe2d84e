-- An account's own rate limit, where its helpdesk's differs from the provider's published one
-- (a plan with a higher limit, a simulator): JSON {credits_per_window, window_secs,
-- burst_per_second}. NULL: the provider's profile.
ALTER TABLE accounts ADD COLUMN rate_limit TEXT;

# METADATA
# description: |
#   Time helpers. "Now" is the snapshot's collected_at (input.now_epoch), never
#   the clock, so the same snapshot always gives the same verdicts.
package lockdown.lib.time

ns_per_day := ((24 * 60) * 60) * 1000000000

# now_ns is collection time in nanoseconds (a rule, so computed once).
now_ns := input.now_epoch * 1000000000

# age_days is the number of whole days from ts (RFC 3339) to collection time;
# negative when ts is after it.
age_days(ts) := floor((now_ns - time.parse_rfc3339_ns(ts)) / ns_per_day)

# date is the calendar date of ts, for messages.
date(ts) := substring(ts, 0, 10)

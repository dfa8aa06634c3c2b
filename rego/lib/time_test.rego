package lockdown.lib.time_test

import data.lockdown.lib.time as ltime

# 2026-11-27T07:00:00Z
now := {"now_epoch": 1795762800}

test_age_days if {
	ltime.age_days("2026-11-27T07:00:00Z") == 0 with input as now
	ltime.age_days("2026-11-26T07:00:01Z") == 0 with input as now
	ltime.age_days("2026-11-26T07:00:00Z") == 1 with input as now
	ltime.age_days("2026-08-29T07:00:00Z") == 90 with input as now
	ltime.age_days("2026-11-28T07:00:00Z") == -1 with input as now
}

test_date if {
	ltime.date("2026-11-27T07:00:00Z") == "2026-11-27"
}

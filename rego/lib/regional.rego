# METADATA
# description: |
#   Results for the regional sources (IAM Access Analyzer, EC2 instances). A
#   region is named as the account with the region as detail. A region that
#   could not be read completely (facts: analyzer_unknown, ec2_unknown)
#   is one NOT_ASSESSED result naming the API error, never a PASS; the regions
#   that answered are judged as usual.
package lockdown.lib.regional

import data.lockdown.lib.result

# not_assessed(unknown, what) holds one NOT_ASSESSED result per unknown
# region; what names what the check judges there.
not_assessed(unknown, what) := {result.not_assessed_detail(result.account, u.region, msg) |
	some u in unknown
	msg := sprintf("%s cannot be checked in %s: %s.", [what, u.region, u.reason])
}

# no_regions holds a NOT_ASSESSED result when the enabled regions are not
# known or none is listed: "every enabled region" cannot be claimed then.
no_regions(what) := {result.not_assessed(result.account, msg) |
	input.regions == null
	msg := sprintf("%s cannot be checked: the enabled regions are not known (account:ListRegions was not usable).", [what])
} | {result.not_assessed(result.account, msg) |
	input.regions != null
	count(input.regions) == 0
	msg := sprintf("%s cannot be checked: account:ListRegions listed no enabled region.", [what])
}

# names joins a list of strings for a message ("none" when empty).
names(list) := concat(", ", sort(list)) if count(list) > 0

names(list) := "none" if count(list) == 0

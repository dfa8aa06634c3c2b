# METADATA
# description: |
#   Tag rules of Security Hub's "should be tagged" controls (IAM.23, IAM.24,
#   IAM.25): system tags (keys beginning with "aws:") are ignored; with a
#   requiredTagKeys list every listed key must be present (keys are case
#   sensitive), otherwise any other tag will do.
package lockdown.lib.tags

# user_keys are a tag map's keys that are not system tags.
user_keys(tags) := {k | some k, _ in tags; not startswith(lower(k), "aws:")}

# required(csv) is the set of keys a comma-separated parameter lists.
required(csv) := {k | some part in split(csv, ","); k := trim_space(part); k != ""}

# missing(tags, csv) are the required keys a tag map lacks.
missing(tags, csv) := required(csv) - user_keys(tags)

# problem(tags, csv) says what is wrong; undefined when nothing is.
problem(tags, csv) := msg if {
	count(required(csv)) == 0
	count(user_keys(tags)) == 0
	msg := "has no tags other than system (aws:) tags"
} else := msg if {
	count(missing(tags, csv)) > 0
	msg := sprintf("lacks the required tag keys %s", [concat(", ", sort(missing(tags, csv)))])
}

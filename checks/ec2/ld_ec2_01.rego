# METADATA
# title: EC2 instances use an IAM instance profile
# description: |
#   CIS 1.17: software on an instance should get AWS credentials from an IAM
#   role through an instance profile, not from access keys stored on it.
#   Every instance in every enabled region that is not terminated or
#   shutting down (pending, running, stopping, stopped, or a state the
#   snapshot does not name) must have an instance profile associated. Stopped
#   instances are judged: they keep their configuration and, started again,
#   run without a role, so keys put on them are still there. Terminated and
#   shutting-down instances cannot run again and are not judged. One result
#   per instance (its ARN); a region whose instances could not all be listed
#   is NOT_ASSESSED, naming the API error (instances read there before the
#   error are still judged). No instance to judge in any region read
#   completely is one PASS on the account.
# custom:
#   id: LD-EC2-01
#   severity: medium
#   section: EC2
#   requires: [regions, ec2_instances]
#   remediation: |
#     Create a role for EC2 with the permissions the software needs, then attach
#     it to the instance (Console: EC2 > Instances > the instance > Actions >
#     Security > Modify IAM role), and remove any access keys stored on it.
#     AWS CLI:
#       aws iam create-instance-profile --instance-profile-name APP
#       aws iam add-role-to-instance-profile --instance-profile-name APP --role-name APP_ROLE
#       aws ec2 associate-iam-instance-profile --region REGION \
#         --instance-id INSTANCE_ID --iam-instance-profile Name=APP
#   docs_url: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
package lockdown.checks.ld_ec2_01

import data.lockdown.lib.regional
import data.lockdown.lib.result

gone := {"terminated", "shutting-down"}

judged contains i if {
	some entry in input.ec2_instances
	some i in entry.instances
	not i.state in gone
}

resource(i) := {"arn": i.arn, "type": "AWS::EC2::Instance", "name": i.id}

state(i) := i.state if i.state != ""

state(i) := "state unknown" if i.state == ""

results contains r if some r in regional.no_regions("The EC2 instances' instance profiles")

results contains r if some r in regional.not_assessed(input.ec2_unknown, "Every EC2 instance's instance profile")

results contains verdict(i) if some i in judged

verdict(i) := result.pass(resource(i), msg) if {
	i.instance_profile_arn != ""
	msg := sprintf("EC2 instance %s (%s, %s) uses instance profile %s.", [i.id, i.region, state(i), i.instance_profile_arn])
} else := result.fail(resource(i), msg) if {
	msg := sprintf("EC2 instance %s (%s, %s) has no IAM instance profile, so software on it needs stored credentials to call AWS. Attach an instance profile with a role.", [i.id, i.region, state(i)])
}

not_judged := [i.id | some entry in input.ec2_instances; some i in entry.instances; i.state in gone]

results contains result.with_evidence(result.pass(result.account, msg), {"items": sort(not_judged)}) if {
	input.regions != null
	count(input.regions) > 0
	count(judged) == 0
	count(input.ec2_unknown) == 0
	msg := sprintf("No EC2 instance that is not terminated exists in the %d enabled region(s)%s.", [count(input.ec2_instances), gone_note])
}

gone_note := "" if count(not_judged) == 0

gone_note := sprintf(" (%d terminated or shutting down, not judged)", [count(not_judged)]) if count(not_judged) > 0

package snapshottest

import (
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Documented behaviour the expectations rest on (IAM User Guide):
//   - policy evaluation logic: an explicit Deny in any policy overrides
//     every Allow; a permissions boundary caps what the identity policies
//     allow (the effective permissions are their intersection), so a
//     policy the principal adds to itself is capped too;
//   - iam:PassRole is authorised on the role passed, and
//     iam:PassedToService is the service principal the role is passed to;
//     the service can use the role only if the role's trust policy
//     admits that service principal;
//   - within one account, a role trust policy that names a user or role by
//     ARN lets it assume the role without an identity policy allowing
//     sts:AssumeRole (an identity-side explicit Deny still wins); one that
//     names the account needs the identity side to allow it;
//   - iam:PolicyARN is the ARN of the managed policy an Attach*Policy
//     request attaches;
//   - a user with an MFA device is asked for it at console sign-in, so a
//     password set by an attacker does not open the console.

const (
	pts      = "iam:PassedToService"
	mfaKey   = "aws:MultiFactorAuthPresent"
	policyID = "iam:PolicyARN"
)

// passRoleCase adds the usual cases of a new-passrole method: the admin
// role trusted by svc (and, for EC2, an instance profile), an attacker
// allowed iam:PassRole on it plus actions, and the negative cases.
func passRoleCase(name, method, svc string, actions []string, ec2 bool) PrivescFixture {
	admin := "PE" + name + "AdminRole"
	harmless := "PE" + name + "HarmlessRole"
	other := "PE" + name + "OtherServiceAdminRole"
	otherSvc := "glue.amazonaws.com"
	if svc == otherSvc {
		otherSvc = "sagemaker.amazonaws.com"
	}
	acts := func(extra ...st) []st {
		return append([]st{allow(actions, "*")}, extra...)
	}
	pos, ptsOK, ptsOther, harm, notrust, denied, bounded :=
		"pe-"+name, "pe-"+name+"-passedtoservice", "pe-"+name+"-passedtootherservice", "pe-"+name+"-harmlessrole",
		"pe-"+name+"-roletrustsotherservice", "pe-"+name+"-denied", "pe-"+name+"-boundary"
	return PrivescFixture{
		Name: method, Methods: []string{method},
		Change: "an administrator role trusted by " + svc + " and users allowed iam:PassRole with " + joinActions(actions),
		Build: peBuild(func(b *pe) {
			// Each role is set up before the next is added: the builders
			// return pointers into the snapshot's role list.
			for _, r := range []struct {
				name  string
				admin bool
				trust string
			}{{admin, true, svc}, {harmless, false, svc}, {other, true, otherSvc}} {
				var role *snapshot.Role
				if r.admin {
					role = b.adminRole(r.name, trustService(r.trust))
				} else {
					role = b.harmlessRole(r.name, trustService(r.trust))
				}
				if ec2 {
					role.InstanceProfiles = []string{accountARN + "instance-profile/" + r.name}
				}
			}
			b.user(pos, acts(allow("iam:PassRole", peRole(admin)))...)
			b.user(ptsOK, acts(allow("iam:PassRole", peRole(admin)).when("StringEquals", pts, svc))...)
			b.user(ptsOther, acts(allow("iam:PassRole", peRole(admin)).when("StringEquals", pts, otherSvc))...)
			b.user(harm, acts(allow("iam:PassRole", peRole(harmless)))...)
			b.user(notrust, acts(allow("iam:PassRole", peRole(other)))...)
			b.user(denied, acts(allow("iam:PassRole", "*"), deny("iam:PassRole", peRole(admin)))...)
			bp := b.customer("PE"+name+"Boundary", []st{allow(actions, "*")})
			b.user(bounded, acts(allow("iam:PassRole", "*"))...).PermissionsBoundary = b.boundary(bp)
		}),
		Expect: map[string]PrivescExpect{
			peUser(pos):      fail(ctxKey, false, "passes "+admin+" to "+svc+" and runs code as it", method),
			peUser(ptsOK):    fail(ctxKey, false, "iam:PassedToService "+svc+" is the service the method passes the role to", method),
			peUser(ptsOther): passes("iam:PassedToService allows passing the role to " + otherSvc + " only, which the method does not use"),
			peUser(harm):     passes("iam:PassRole only on " + harmless + ", which reads one bucket"),
			peUser(notrust):  passes(other + " is administrator but trusts " + otherSvc + " only, so " + svc + " cannot use it"),
			peUser(denied):   passes("an explicit Deny of iam:PassRole on " + admin + " overrides the Allow on *"),
			peUser(bounded):  passes("the permissions boundary does not allow iam:PassRole"),
			peRole(admin):    alreadyAdmin("AdministratorAccess"),
			peRole(harmless): passes("reads one bucket"),
			peRole(other):    alreadyAdmin("AdministratorAccess"),
		},
	}
}

func joinActions(a []string) string {
	out := ""
	for i, s := range a {
		if i > 0 {
			out += " + "
		}
		out += s
	}
	return out
}

// PrivescFixtures returns the corpus in the order tools/mktestdata writes it.
func PrivescFixtures() []PrivescFixture {
	list := []PrivescFixture{
		{
			Name: "clean", Change: "the guide's compliant account with the Lambda inventory collected",
			Build: peBuild(func(b *pe) {}),
		},
		// Self-escalation.
		{
			Name: "iam-007", Methods: []string{"iam-007"},
			Change: "users allowed iam:PutUserPolicy on themselves, with MFA only, on another user, denied, under a boundary",
			Build: peBuild(func(b *pe) {
				b.user("pe-putself", allow("iam:PutUserPolicy", peUser("pe-putself")))
				b.user("pe-putself-mfa", allow("iam:PutUserPolicy", peUser("pe-putself-mfa")).when("Bool", mfaKey, "true"))
				b.user("pe-putother", allow("iam:PutUserPolicy", peUser("pe-harmless")))
				b.userWith("pe-harmless", userOpts{})
				b.user("pe-putself-denied", allow("iam:PutUserPolicy", peUser("pe-putself-denied")), deny("iam:PutUserPolicy", peUser("pe-putself-denied")))
				bp := b.customer("PEBoundaryS3", []st{allow("s3:*", "*")})
				b.user("pe-putself-boundary", allow("iam:PutUserPolicy", peUser("pe-putself-boundary"))).PermissionsBoundary = b.boundary(bp)
				bi := b.customer("PEBoundaryPutUserPolicy", []st{allow("iam:PutUserPolicy", "*")})
				b.user("pe-putself-boundary-capped", allow("iam:PutUserPolicy", peUser("pe-putself-boundary-capped"))).PermissionsBoundary = b.boundary(bi)
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-putself"):          fail(ctxKey, false, "puts an admin inline policy on itself", "iam-007"),
				peUser("pe-putself-mfa"):      fail(ctxMFA, true, "the Allow requires aws:MultiFactorAuthPresent, so only an MFA session can put the policy", "iam-007"),
				peUser("pe-putother"):         passes("iam:PutUserPolicy only on pe-harmless, whose credentials it cannot take"),
				peUser("pe-harmless"):         passes("no permissions"),
				peUser("pe-putself-denied"):   passes("an explicit Deny of iam:PutUserPolicy on itself"),
				peUser("pe-putself-boundary"): passes("the boundary allows s3:* only, not iam:PutUserPolicy"),
				peUser("pe-putself-boundary-capped"): passes("the boundary allows iam:PutUserPolicy but caps every policy the user adds: " +
					"effective permissions are the intersection, so it never holds more than iam:PutUserPolicy"),
			},
		},
		{
			Name: "iam-008", Methods: []string{"iam-008"},
			Change: "users allowed iam:AttachUserPolicy on themselves, unconditionally, with iam:PolicyARN limited to ReadOnlyAccess or AdministratorAccess, denied",
			Build: peBuild(func(b *pe) {
				b.user("pe-attachself", allow("iam:AttachUserPolicy", peUser("pe-attachself")))
				b.user("pe-attachself-readonly", allow("iam:AttachUserPolicy", peUser("pe-attachself-readonly")).when("ArnEquals", policyID, peReadOnly))
				b.user("pe-attachself-adminarn", allow("iam:AttachUserPolicy", peUser("pe-attachself-adminarn")).when("ArnEquals", policyID, peAdminAccess))
				b.user("pe-attachself-denied", allow("iam:AttachUserPolicy", peUser("pe-attachself-denied")), deny("iam:AttachUserPolicy", "*"))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-attachself"):          fail(ctxKey, false, "attaches AdministratorAccess to itself", "iam-008"),
				peUser("pe-attachself-readonly"): passes("iam:PolicyARN allows attaching ReadOnlyAccess only"),
				peUser("pe-attachself-adminarn"): fail(ctxKey, false, "iam:PolicyARN names AdministratorAccess, the policy attached", "iam-008"),
				peUser("pe-attachself-denied"):   passes("an explicit Deny of iam:AttachUserPolicy"),
			},
		},
		{
			Name: "iam-011", Methods: []string{"iam-011"},
			Change: "a group whose policy allows iam:PutGroupPolicy on itself, with a member; a user allowed it on a group it is not in",
			Build: peBuild(func(b *pe) {
				b.group("PEPutGroup", allow("iam:PutGroupPolicy", peGroup("PEPutGroup")))
				b.user("pe-putgroup-member").Groups = []string{"PEPutGroup"}
				b.group("PEOtherGroup")
				b.user("pe-putgroup-other", allow("iam:PutGroupPolicy", peGroup("PEOtherGroup")))
			}),
			Expect: map[string]PrivescExpect{
				peGroup("PEPutGroup"):        fail(ctxKey, false, "a member puts an admin policy on the group", "iam-011"),
				peUser("pe-putgroup-member"): fail(ctxKey, false, "puts an admin policy on its own group", "iam-011"),
				peGroup("PEOtherGroup"):      passes("no permissions"),
				peUser("pe-putgroup-other"):  passes("PEOtherGroup is not one of its groups"),
			},
		},
		{
			Name: "iam-010", Methods: []string{"iam-010"},
			Change: "a group whose policy allows iam:AttachGroupPolicy on itself; one where iam:PolicyARN allows ReadOnlyAccess only",
			Build: peBuild(func(b *pe) {
				b.group("PEAttachGroup", allow("iam:AttachGroupPolicy", peGroup("PEAttachGroup")))
				b.user("pe-attachgroup-member").Groups = []string{"PEAttachGroup"}
				b.group("PEAttachReadOnlyGroup", allow("iam:AttachGroupPolicy", peGroup("PEAttachReadOnlyGroup")).when("ArnEquals", policyID, peReadOnly))
				b.user("pe-attachgroup-readonly-member").Groups = []string{"PEAttachReadOnlyGroup"}
			}),
			Expect: map[string]PrivescExpect{
				peGroup("PEAttachGroup"):                 fail(ctxKey, false, "a member attaches AdministratorAccess to the group", "iam-010"),
				peUser("pe-attachgroup-member"):          fail(ctxKey, false, "attaches AdministratorAccess to its group", "iam-010"),
				peGroup("PEAttachReadOnlyGroup"):         passes("iam:PolicyARN allows ReadOnlyAccess only"),
				peUser("pe-attachgroup-readonly-member"): passes("iam:PolicyARN allows ReadOnlyAccess only"),
			},
		},
		{
			Name: "iam-013", Methods: []string{"iam-013"},
			Change: "an administrators group without members; users allowed iam:AddUserToGroup on it, on a read-only group, or denied it",
			Build: peBuild(func(b *pe) {
				g := b.group("PEAdmins")
				b.attach(&g.AttachedPolicies, peAdminAccess)
				g2 := b.group("PEReaders")
				b.attach(&g2.AttachedPolicies, peReadOnly)
				b.user("pe-join", allow("iam:AddUserToGroup", peGroup("PEAdmins")))
				b.user("pe-join-readers", allow("iam:AddUserToGroup", peGroup("PEReaders")))
				b.user("pe-join-denied", allow("iam:AddUserToGroup", peGroup("PEAdmins")), deny("iam:AddUserToGroup", peGroup("PEAdmins")))
			}),
			Expect: map[string]PrivescExpect{
				peGroup("PEAdmins"):       alreadyAdmin("AdministratorAccess"),
				peGroup("PEReaders"):      passes("ReadOnlyAccess"),
				peUser("pe-join"):         fail(ctxKey, false, "adds itself to PEAdmins", "iam-013"),
				peUser("pe-join-readers"): passes("PEReaders only reads"),
				peUser("pe-join-denied"):  passes("an explicit Deny on PEAdmins"),
			},
		},
		{
			Name: "iam-005", Methods: []string{"iam-005"},
			Change: "a role allowed iam:PutRolePolicy on itself; one allowed it on another harmless role",
			Build: peBuild(func(b *pe) {
				b.role("PEPutSelfRole", trustService("lambda.amazonaws.com"), allow("iam:PutRolePolicy", peRole("PEPutSelfRole")))
				b.role("PEPutOtherRole", trustService("lambda.amazonaws.com"), allow("iam:PutRolePolicy", peRole("PEPutTargetRole")))
				b.harmlessRole("PEPutTargetRole", trustService("lambda.amazonaws.com"))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEPutSelfRole"):   fail(ctxNoMFA, false, "a session of the role puts an admin policy on it", "iam-005"),
				peRole("PEPutOtherRole"):  passes("PEPutTargetRole trusts lambda only; the role cannot become it"),
				peRole("PEPutTargetRole"): passes("reads one bucket"),
			},
		},
		{
			Name: "iam-009", Methods: []string{"iam-009"},
			Change: "a role allowed iam:AttachRolePolicy on itself; one limited by iam:PolicyARN to ReadOnlyAccess",
			Build: peBuild(func(b *pe) {
				b.role("PEAttachSelfRole", trustService("lambda.amazonaws.com"), allow("iam:AttachRolePolicy", peRole("PEAttachSelfRole")))
				b.role("PEAttachReadOnlyRole", trustService("lambda.amazonaws.com"),
					allow("iam:AttachRolePolicy", peRole("PEAttachReadOnlyRole")).when("ArnEquals", policyID, peReadOnly))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEAttachSelfRole"):     fail(ctxNoMFA, false, "attaches AdministratorAccess to itself", "iam-009"),
				peRole("PEAttachReadOnlyRole"): passes("iam:PolicyARN allows ReadOnlyAccess only"),
			},
		},
		{
			Name: "iam-001", Methods: []string{"iam-001"},
			Change: "users allowed iam:CreatePolicyVersion on a customer policy attached to themselves, to nobody, or to a harmless user",
			Build: peBuild(func(b *pe) {
				own := pePolicy("PECpvOwn")
				b.customer("PECpvOwn", []st{allow("iam:CreatePolicyVersion", own)})
				u := b.user("pe-cpv")
				b.attach(&u.AttachedPolicies, own)
				loose := b.customer("PECpvUnattached", []st{allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*")})
				b.user("pe-cpv-unattached", allow("iam:CreatePolicyVersion", loose))
				other := b.customer("PECpvOther", []st{allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*")})
				h := b.userWith("pe-cpv-target", userOpts{})
				b.attach(&h.AttachedPolicies, other)
				b.user("pe-cpv-otheruser", allow("iam:CreatePolicyVersion", other))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-cpv"):            fail(ctxKey, false, "writes an admin version of the policy attached to itself", "iam-001"),
				peUser("pe-cpv-unattached"): passes("the policy it can version is attached to nobody"),
				peUser("pe-cpv-target"):     passes("reads one bucket"),
				peUser("pe-cpv-otheruser"):  passes("the policy is attached to pe-cpv-target, whose credentials it cannot take"),
			},
		},
		{
			Name: "ext-iam-setdefaultpolicyversion", Methods: []string{"ext-iam-setdefaultpolicyversion"},
			Change: "users allowed iam:SetDefaultPolicyVersion on their own policy, whose other version allows * or only S3 reads",
			Build: peBuild(func(b *pe) {
				p := pePolicy("PESdpvOwn")
				b.customer("PESdpvOwn", []st{allow("iam:SetDefaultPolicyVersion", p)}, []st{allow("*", "*")})
				u := b.user("pe-sdpv")
				b.attach(&u.AttachedPolicies, p)
				q := pePolicy("PESdpvHarmless")
				b.customer("PESdpvHarmless", []st{allow("iam:SetDefaultPolicyVersion", q)}, []st{allow("s3:GetObject", "*")})
				v := b.user("pe-sdpv-harmless")
				b.attach(&v.AttachedPolicies, q)
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-sdpv"):          fail(ctxKey, false, "makes v2 (* on *) its policy's default", "ext-iam-setdefaultpolicyversion"),
				peUser("pe-sdpv-harmless"): passes("the other version only reads S3"),
			},
		},
		// Principal access.
		{
			Name: "iam-002", Methods: []string{"iam-002"},
			Change: "an administrator user without keys; users allowed iam:CreateAccessKey on it, on themselves only, on a harmless user, under a boundary",
			Build: peBuild(func(b *pe) {
				v := b.userWith("pe-victim-admin", userOpts{})
				b.attach(&v.AttachedPolicies, peAdminAccess)
				b.userWith("pe-victim-weak", userOpts{})
				b.user("pe-cak", allow("iam:CreateAccessKey", peUser("pe-victim-admin")))
				b.user("pe-cak-self", allow("iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}"))
				b.user("pe-cak-weak", allow("iam:CreateAccessKey", peUser("pe-victim-weak")))
				bp := b.customer("PEBoundaryIAMRead", []st{allow([]string{"iam:Get*", "iam:List*"}, "*")})
				b.user("pe-cak-boundary", allow("iam:CreateAccessKey", "*")).PermissionsBoundary = b.boundary(bp)
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-victim-admin"): alreadyAdmin("AdministratorAccess"),
				peUser("pe-victim-weak"):  passes("no permissions"),
				peUser("pe-cak"):          fail(ctxKey, false, "creates an access key for pe-victim-admin", "iam-002"),
				peUser("pe-cak-self"):     passes("a key for itself gives nothing new"),
				peUser("pe-cak-weak"):     passes("pe-victim-weak has no permissions"),
				peUser("pe-cak-boundary"): passes("the boundary allows iam:Get* and iam:List* only"),
			},
		},
		{
			Name: "iam-003", Methods: []string{"iam-003"},
			Change: "an administrator user with two active keys; users allowed iam:CreateAccessKey alone or with iam:DeleteAccessKey on it",
			Build: peBuild(func(b *pe) {
				v := b.userWith("pe-victim-twokeys", userOpts{keys: 2})
				b.attach(&v.AttachedPolicies, peAdminAccess)
				b.user("pe-cak-only", allow("iam:CreateAccessKey", peUser("pe-victim-twokeys")))
				b.user("pe-cak-delete", allow([]string{"iam:CreateAccessKey", "iam:DeleteAccessKey"}, peUser("pe-victim-twokeys")))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-victim-twokeys"): alreadyAdmin("AdministratorAccess"),
				peUser("pe-cak-only"):       passes("the target already has two keys, IAM's limit, so CreateAccessKey fails"),
				peUser("pe-cak-delete"):     fail(ctxKey, false, "deletes one of the two keys, then creates one", "iam-003"),
			},
		},
		{
			Name: "iam-004", Methods: []string{"iam-004"},
			Change: "administrator users without a password, with one, and without one but with an MFA device; users allowed iam:CreateLoginProfile on each",
			Build: peBuild(func(b *pe) {
				for _, v := range []struct {
					name string
					o    userOpts
				}{{"pe-victim-nopassword", userOpts{}}, {"pe-victim-password", userOpts{password: true}}, {"pe-victim-mfa", userOpts{mfa: true}}} {
					u := b.userWith(v.name, v.o)
					b.attach(&u.AttachedPolicies, peAdminAccess)
				}
				b.user("pe-clp", allow("iam:CreateLoginProfile", peUser("pe-victim-nopassword")))
				b.user("pe-clp-haspassword", allow("iam:CreateLoginProfile", peUser("pe-victim-password")))
				b.user("pe-clp-mfa", allow("iam:CreateLoginProfile", peUser("pe-victim-mfa")))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-victim-nopassword"): alreadyAdmin("AdministratorAccess"),
				peUser("pe-victim-password"):   alreadyAdmin("AdministratorAccess"),
				peUser("pe-victim-mfa"):        alreadyAdmin("AdministratorAccess"),
				peUser("pe-clp"):               fail(ctxKey, false, "gives pe-victim-nopassword a console password", "iam-004"),
				peUser("pe-clp-haspassword"):   passes("the target already has a login profile: CreateLoginProfile fails"),
				peUser("pe-clp-mfa"):           passes("the target has an MFA device, which the console asks for"),
			},
		},
		{
			Name: "iam-006", Methods: []string{"iam-006"},
			Change: "administrator users with a password, without one, and with a password and MFA; users allowed iam:UpdateLoginProfile on each",
			Build: peBuild(func(b *pe) {
				for _, v := range []struct {
					name string
					o    userOpts
				}{{"pe-victim-password", userOpts{password: true}}, {"pe-victim-nopassword", userOpts{}}, {"pe-victim-password-mfa", userOpts{password: true, mfa: true}}} {
					u := b.userWith(v.name, v.o)
					b.attach(&u.AttachedPolicies, peAdminAccess)
				}
				b.user("pe-ulp", allow("iam:UpdateLoginProfile", peUser("pe-victim-password")))
				b.user("pe-ulp-nopassword", allow("iam:UpdateLoginProfile", peUser("pe-victim-nopassword")))
				b.user("pe-ulp-mfa", allow("iam:UpdateLoginProfile", peUser("pe-victim-password-mfa")))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-victim-password"):     alreadyAdmin("AdministratorAccess"),
				peUser("pe-victim-nopassword"):   alreadyAdmin("AdministratorAccess"),
				peUser("pe-victim-password-mfa"): alreadyAdmin("AdministratorAccess"),
				peUser("pe-ulp"):                 fail(ctxKey, false, "resets pe-victim-password's console password", "iam-006"),
				peUser("pe-ulp-nopassword"):      passes("the target has no login profile to update"),
				peUser("pe-ulp-mfa"):             passes("the target has an MFA device, which the console asks for"),
			},
		},
		{
			Name: "iam-012", Methods: []string{"iam-012"},
			Change: "an administrator role trusted by Lambda only; users allowed iam:UpdateAssumeRolePolicy on it (with or without sts:AssumeRole), on a harmless role, or with sts:AssumeRole denied",
			Build: peBuild(func(b *pe) {
				b.adminRole("PETrustAdminRole", trustService("lambda.amazonaws.com"))
				b.harmlessRole("PETrustHarmlessRole", trustService("lambda.amazonaws.com"))
				b.user("pe-uarp", allow([]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, peRole("PETrustAdminRole")))
				b.user("pe-uarp-noassume", allow("iam:UpdateAssumeRolePolicy", peRole("PETrustAdminRole")))
				b.user("pe-uarp-harmless", allow([]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, peRole("PETrustHarmlessRole")))
				b.user("pe-uarp-assumedenied", allow("iam:UpdateAssumeRolePolicy", peRole("PETrustAdminRole")), deny("sts:AssumeRole", "*"))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PETrustAdminRole"):    alreadyAdmin("AdministratorAccess"),
				peRole("PETrustHarmlessRole"): passes("reads one bucket"),
				peUser("pe-uarp"):             fail(ctxKey, false, "rewrites the trust policy to name itself, then assumes the role", "iam-012"),
				peUser("pe-uarp-noassume"): fail(ctxKey, false, "same account: a trust policy naming the user's ARN lets it assume the role "+
					"without an identity policy allowing sts:AssumeRole", "iam-012"),
				peUser("pe-uarp-harmless"):     passes("the role it can rewrite only reads one bucket"),
				peUser("pe-uarp-assumedenied"): passes("an explicit Deny of sts:AssumeRole in its own policy wins over the trust policy"),
			},
		},
		{
			Name: "iam-014", Methods: []string{"iam-014"},
			Change: "a powerless role trusting two users; they may attach a policy to it and assume it, one limited by iam:PolicyARN; a third targets a role that trusts Lambda only",
			Build: peBuild(func(b *pe) {
				b.role("PEReachableRole", trustPrincipals(peUser("pe-arp"), peUser("pe-arp-readonly")))
				b.role("PEUnreachableRole", trustService("lambda.amazonaws.com"))
				b.user("pe-arp", allow([]string{"iam:AttachRolePolicy", "sts:AssumeRole"}, peRole("PEReachableRole")))
				b.user("pe-arp-readonly", allow("sts:AssumeRole", peRole("PEReachableRole")),
					allow("iam:AttachRolePolicy", peRole("PEReachableRole")).when("ArnEquals", policyID, peReadOnly))
				b.user("pe-arp-untrusted", allow([]string{"iam:AttachRolePolicy", "sts:AssumeRole"}, peRole("PEUnreachableRole")))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEReachableRole"):   passes("no permissions"),
				peRole("PEUnreachableRole"): passes("no permissions"),
				peUser("pe-arp"):            fail(ctxKey, false, "attaches AdministratorAccess to PEReachableRole, then assumes it", "iam-014"),
				peUser("pe-arp-readonly"):   passes("iam:PolicyARN allows ReadOnlyAccess only"),
				peUser("pe-arp-untrusted"):  passes("PEUnreachableRole trusts Lambda only"),
			},
		},
		{
			Name: "iam-015", Methods: []string{"iam-015"},
			Change: "a powerless user without keys; users allowed iam:AttachUserPolicy and iam:CreateAccessKey on it, with iam:PolicyARN limited, or without CreateAccessKey",
			Build: peBuild(func(b *pe) {
				b.userWith("pe-victim-weak", userOpts{})
				w := peUser("pe-victim-weak")
				b.user("pe-aupcak", allow([]string{"iam:AttachUserPolicy", "iam:CreateAccessKey"}, w))
				b.user("pe-aupcak-readonly", allow("iam:CreateAccessKey", w), allow("iam:AttachUserPolicy", w).when("ArnEquals", policyID, peReadOnly))
				b.user("pe-aup-only", allow("iam:AttachUserPolicy", w))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-victim-weak"):     passes("no permissions"),
				peUser("pe-aupcak"):          fail(ctxKey, false, "attaches AdministratorAccess to pe-victim-weak and creates a key for it", "iam-015"),
				peUser("pe-aupcak-readonly"): passes("iam:PolicyARN allows ReadOnlyAccess only"),
				peUser("pe-aup-only"):        passes("cannot take pe-victim-weak's credentials"),
			},
		},
		{
			Name: "iam-018", Methods: []string{"iam-018"},
			Change: "a powerless user; users allowed iam:PutUserPolicy and iam:CreateAccessKey on it, one with CreateAccessKey denied",
			Build: peBuild(func(b *pe) {
				b.userWith("pe-victim-weak", userOpts{})
				w := peUser("pe-victim-weak")
				b.user("pe-pupcak", allow([]string{"iam:PutUserPolicy", "iam:CreateAccessKey"}, w))
				b.user("pe-pupcak-denied", allow([]string{"iam:PutUserPolicy", "iam:CreateAccessKey"}, w), deny("iam:CreateAccessKey", "*"))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-victim-weak"):   passes("no permissions"),
				peUser("pe-pupcak"):        fail(ctxKey, false, "puts an admin policy on pe-victim-weak and creates a key for it", "iam-018"),
				peUser("pe-pupcak-denied"): passes("an explicit Deny of iam:CreateAccessKey"),
			},
		},
		{
			Name: "iam-016", Methods: []string{"iam-016"},
			Change: "a role with a customer policy, trusting one user that may version the policy and assume the role; another user may do both but is not trusted",
			Build: peBuild(func(b *pe) {
				p := b.customer("PECpvRolePolicy", []st{allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*")})
				r := b.role("PECpvRole", trustPrincipals(peUser("pe-cpva")))
				b.attach(&r.AttachedPolicies, p)
				b.user("pe-cpva", allow("iam:CreatePolicyVersion", p), allow("sts:AssumeRole", peRole("PECpvRole")))
				b.user("pe-cpva-untrusted", allow("iam:CreatePolicyVersion", p), allow("sts:AssumeRole", peRole("PECpvRole")))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PECpvRole"):         passes("reads one bucket"),
				peUser("pe-cpva"):           fail(ctxKey, false, "writes an admin version of PECpvRolePolicy, then assumes PECpvRole", "iam-016"),
				peUser("pe-cpva-untrusted"): passes("PECpvRole's trust policy does not admit it"),
			},
		},
		{
			Name: "iam-017", Methods: []string{"iam-017"},
			Change: "roles trusting one user each (one only with MFA); the users may put a role policy and assume them; one has PutRolePolicy denied",
			Build: peBuild(func(b *pe) {
				b.role("PEPrpRole", trustPrincipals(peUser("pe-prpa"), peUser("pe-prpa-denied")))
				mfaTrust := peDoc(st{"Effect": "Allow", "Principal": map[string]any{"AWS": peUser("pe-prpa-mfa")}, "Action": "sts:AssumeRole",
					"Condition": map[string]any{"Bool": map[string]any{mfaKey: "true"}}})
				b.role("PEPrpMfaRole", mfaTrust)
				b.user("pe-prpa", allow([]string{"iam:PutRolePolicy", "sts:AssumeRole"}, peRole("PEPrpRole")))
				b.user("pe-prpa-mfa", allow([]string{"iam:PutRolePolicy", "sts:AssumeRole"}, peRole("PEPrpMfaRole")))
				b.user("pe-prpa-denied", allow([]string{"iam:PutRolePolicy", "sts:AssumeRole"}, peRole("PEPrpRole")), deny("iam:PutRolePolicy", "*"))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEPrpRole"):      passes("no permissions"),
				peRole("PEPrpMfaRole"):   passes("no permissions"),
				peUser("pe-prpa"):        fail(ctxKey, false, "puts an admin policy on PEPrpRole, then assumes it", "iam-017"),
				peUser("pe-prpa-mfa"):    fail(ctxMFA, true, "PEPrpMfaRole's trust policy requires aws:MultiFactorAuthPresent", "iam-017"),
				peUser("pe-prpa-denied"): passes("an explicit Deny of iam:PutRolePolicy"),
			},
		},
		{
			Name: "iam-019", Methods: []string{"iam-019"},
			Change: "a powerless role trusted by Lambda; users allowed iam:AttachRolePolicy and iam:UpdateAssumeRolePolicy on it, one limited by iam:PolicyARN",
			Build: peBuild(func(b *pe) {
				b.role("PEArTrustRole", trustService("lambda.amazonaws.com"))
				r := peRole("PEArTrustRole")
				b.user("pe-arut", allow([]string{"iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, r))
				b.user("pe-arut-readonly", allow([]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, r),
					allow("iam:AttachRolePolicy", r).when("ArnEquals", policyID, peReadOnly))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEArTrustRole"):    passes("no permissions"),
				peUser("pe-arut"):          fail(ctxKey, false, "attaches AdministratorAccess, rewrites the trust policy, assumes the role", "iam-019"),
				peUser("pe-arut-readonly"): passes("iam:PolicyARN allows ReadOnlyAccess only; the role it can reach stays powerless"),
			},
		},
		{
			Name: "iam-020", Methods: []string{"iam-020"},
			Change: "a role with a customer policy, trusted by Lambda; users allowed to version the policy and rewrite the trust, or only to version it",
			Build: peBuild(func(b *pe) {
				p := b.customer("PECpvTrustPolicy", []st{allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*")})
				r := b.role("PECpvTrustRole", trustService("lambda.amazonaws.com"))
				b.attach(&r.AttachedPolicies, p)
				b.user("pe-cpvut", allow("iam:CreatePolicyVersion", p), allow([]string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, peRole("PECpvTrustRole")))
				b.user("pe-cpvut-noupdate", allow("iam:CreatePolicyVersion", p), allow("sts:AssumeRole", peRole("PECpvTrustRole")))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PECpvTrustRole"):    passes("reads one bucket"),
				peUser("pe-cpvut"):          fail(ctxKey, false, "versions PECpvTrustPolicy to admin, rewrites the trust policy, assumes the role", "iam-020"),
				peUser("pe-cpvut-noupdate"): passes("PECpvTrustRole trusts Lambda only and it cannot change that"),
			},
		},
		{
			Name: "iam-021", Methods: []string{"iam-021"},
			Change: "two powerless roles trusted by Lambda, one under a permissions boundary allowing S3 only; users allowed iam:PutRolePolicy and iam:UpdateAssumeRolePolicy on them",
			Build: peBuild(func(b *pe) {
				b.role("PEPrTrustRole", trustService("lambda.amazonaws.com"))
				bp := b.customer("PEBoundaryS3Only", []st{allow("s3:*", "*")})
				b.role("PEBoundedRole", trustService("lambda.amazonaws.com")).PermissionsBoundary = b.boundary(bp)
				b.user("pe-prut", allow([]string{"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, peRole("PEPrTrustRole")))
				b.user("pe-prut-bounded", allow([]string{"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, peRole("PEBoundedRole")))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEPrTrustRole"):   passes("no permissions"),
				peRole("PEBoundedRole"):   passes("no permissions"),
				peUser("pe-prut"):         fail(ctxKey, false, "puts an admin policy on PEPrTrustRole, rewrites its trust policy, assumes it", "iam-021"),
				peUser("pe-prut-bounded"): passes("PEBoundedRole's boundary caps it at s3:*, whatever policy is put on it"),
			},
		},
		{
			Name: "multistep-sts-001-iam-005", Methods: []string{"sts-001", "iam-005"},
			Change: "a role that may edit its own policy, trusting two users by ARN; one user may assume it, one has sts:AssumeRole denied; a third may assume any role but is not trusted",
			Build: peBuild(func(b *pe) {
				b.role("PEChainRole", trustPrincipals(peUser("pe-chain"), peUser("pe-chain-denied")), allow("iam:PutRolePolicy", peRole("PEChainRole")))
				b.user("pe-chain", allow("sts:AssumeRole", peRole("PEChainRole")))
				b.user("pe-chain-denied", deny("sts:AssumeRole", "*"))
				b.user("pe-chain-untrusted", allow("sts:AssumeRole", "*"))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEChainRole"):     fail(ctxNoMFA, false, "a session of the role puts an admin policy on it", "iam-005"),
				peUser("pe-chain"):        fail(ctxKey, false, "assumes PEChainRole, which edits its own policy", "sts-001", "iam-005"),
				peUser("pe-chain-denied"): passes("an explicit Deny of sts:AssumeRole wins over the trust policy naming it"),
				peUser("pe-chain-untrusted"): passes("PEChainRole does not trust it; AdminRole it can only assume with MFA, " +
					"by assuming alone: the guide's admin route, not an escalation"),
			},
		},
		{
			Name: "multistep-account-trust", Methods: []string{"sts-001", "iam-005"},
			Change: "a role that may edit its own policy, trusting the account (no condition); users with and without sts:AssumeRole on it, and one allowed it only with MFA",
			Build: peBuild(func(b *pe) {
				b.role("PEAccountTrustRole", trustPrincipals(accountARN+"root"), allow("iam:PutRolePolicy", peRole("PEAccountTrustRole")))
				b.user("pe-acct", allow("sts:AssumeRole", peRole("PEAccountTrustRole")))
				b.user("pe-acct-noidentity", allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*"))
				b.user("pe-acct-mfa", allow("sts:AssumeRole", peRole("PEAccountTrustRole")).when("Bool", mfaKey, "true"))
			}),
			Expect: map[string]PrivescExpect{
				peRole("PEAccountTrustRole"): fail(ctxNoMFA, false, "a session of the role puts an admin policy on it", "iam-005"),
				peUser("pe-acct"):            fail(ctxKey, false, "the trust policy admits the account and its own policy allows sts:AssumeRole", "sts-001", "iam-005"),
				peUser("pe-acct-noidentity"): passes("a trust policy naming the account delegates to the account's identity policies; " +
					"its own allows no sts:AssumeRole"),
				peUser("pe-acct-mfa"): fail(ctxMFA, true, "its sts:AssumeRole Allow requires aws:MultiFactorAuthPresent", "sts-001", "iam-005"),
			},
		},
	}
	list = append(list,
		passRoleCase("Lambda1", "lambda-001", "lambda.amazonaws.com", []string{"lambda:CreateFunction", "lambda:InvokeFunction"}, false),
		passRoleCase("Lambda2", "lambda-002", "lambda.amazonaws.com", []string{"lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, false),
		passRoleCase("Lambda6", "lambda-006", "lambda.amazonaws.com", []string{"lambda:CreateFunction", "lambda:AddPermission"}, false),
		passRoleCase("Ec2Run", "ec2-001", "ec2.amazonaws.com", []string{"ec2:RunInstances"}, true),
		passRoleCase("Ec2Spot", "ec2-003", "ec2.amazonaws.com", []string{"ec2:RequestSpotInstances"}, true),
		passRoleCase("Cfn", "cloudformation-001", "cloudformation.amazonaws.com", []string{"cloudformation:CreateStack"}, false),
		passRoleCase("Glue3", "glue-003", "glue.amazonaws.com", []string{"glue:CreateJob", "glue:StartJobRun"}, false),
		passRoleCase("Sm1", "sagemaker-001", "sagemaker.amazonaws.com", []string{"sagemaker:CreateNotebookInstance"}, false),
		passRoleCase("Sm2", "sagemaker-002", "sagemaker.amazonaws.com", []string{"sagemaker:CreateTrainingJob"}, false),
		passRoleCase("Sm3", "sagemaker-003", "sagemaker.amazonaws.com", []string{"sagemaker:CreateProcessingJob"}, false),
		passRoleCase("Ecs4", "ecs-004", "ecs-tasks.amazonaws.com", []string{"ecs:RegisterTaskDefinition", "ecs:RunTask"}, false),
		passRoleCase("Ecs3", "ecs-003", "ecs-tasks.amazonaws.com", []string{"ecs:RegisterTaskDefinition", "ecs:CreateService"}, false),
		passRoleCase("Ecs5", "ecs-005", "ecs-tasks.amazonaws.com", []string{"ecs:RegisterTaskDefinition", "ecs:StartTask"}, false),
		passRoleCase("Glue1", "glue-001", "glue.amazonaws.com", []string{"glue:CreateDevEndpoint"}, false),
		passRoleCase("Glue4", "glue-004", "glue.amazonaws.com", []string{"glue:CreateJob", "glue:CreateTrigger"}, false),
		codebuildFixture(),
		guideAsWrittenFixture(),
	)
	list = append(list, inventoryFixtures()...)
	list = append(list, contextFixtures()...)
	return list
}

// inventoryFixtures: methods through existing resources, with and without
// the inventory they need.
func inventoryFixtures() []PrivescFixture {
	fnHarmless := "arn:aws:lambda:us-east-1:" + AccountID + ":function:pe-harmless-fn"
	l3 := func(b *pe) {
		b.adminRole("PEFnAdminRole", trustService("lambda.amazonaws.com"))
		b.harmlessRole("PEFnHarmlessRole", trustService("lambda.amazonaws.com"))
		b.user("pe-ufc", allow("lambda:UpdateFunctionCode", "*"))
		b.user("pe-ufc-harmless", allow("lambda:UpdateFunctionCode", fnHarmless))
		b.user("pe-nolambda", allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*"))
	}
	roles := map[string]PrivescExpect{
		peRole("PEFnAdminRole"):    alreadyAdmin("AdministratorAccess"),
		peRole("PEFnHarmlessRole"): passes("reads one bucket"),
		peUser("pe-nolambda"):      passes("allows no Lambda action, so it never needs the Lambda inventory"),
	}
	with := func(m map[string]PrivescExpect) map[string]PrivescExpect {
		for k, v := range roles {
			m[k] = v
		}
		return m
	}
	ssm := func(b *pe) {
		r := b.adminRole("PEInstanceAdminRole", trustService("ec2.amazonaws.com"))
		r.InstanceProfiles = []string{accountARN + "instance-profile/PEInstanceAdmin"}
		h := b.harmlessRole("PEInstanceHarmlessRole", trustService("ec2.amazonaws.com"))
		h.InstanceProfiles = []string{accountARN + "instance-profile/PEInstanceHarmless"}
		b.instance("i-0aaaaaaaaaaaaaaa1", accountARN+"instance-profile/PEInstanceAdmin")
		b.instance("i-0bbbbbbbbbbbbbbb2", accountARN+"instance-profile/PEInstanceHarmless")
		harmlessInstance := "arn:aws:ec2:us-east-1:" + AccountID + ":instance/i-0bbbbbbbbbbbbbbb2"
		b.user("pe-sendcommand", allow("ssm:SendCommand", "*"))
		b.user("pe-sendcommand-harmless", allow("ssm:SendCommand", []string{harmlessInstance, "arn:aws:ssm:*:*:document/*"}))
		b.user("pe-startsession", allow("ssm:StartSession", "*"))
		b.user("pe-startsession-denied", allow("ssm:StartSession", "*"), deny("ssm:StartSession", "arn:aws:ec2:*:*:instance/i-0aaaaaaaaaaaaaaa1"))
	}
	ssmRoles := map[string]PrivescExpect{
		peRole("PEInstanceAdminRole"):    alreadyAdmin("AdministratorAccess"),
		peRole("PEInstanceHarmlessRole"): passes("reads one bucket"),
	}
	withSSM := func(m map[string]PrivescExpect) map[string]PrivescExpect {
		for k, v := range ssmRoles {
			m[k] = v
		}
		return m
	}
	return []PrivescFixture{
		{
			Name: "lambda-003-not-collected", Methods: []string{"lambda-003"},
			Change: "users allowed lambda:UpdateFunctionCode; the Lambda inventory (lambda_functions) not collected",
			Build: peBuild(func(b *pe) {
				l3(b)
				b.s.LambdaFunctions = nil
				delete(b.s.Sources, snapshot.SourceLambdaFunctions)
			}),
			Expect: with(map[string]PrivescExpect{
				peUser("pe-ufc"):          notAssessed("lambda", "a function running as an admin role may exist: the inventory is unknown, so the path is possible, not absent"),
				peUser("pe-ufc-harmless"): notAssessed("lambda", "which role pe-harmless-fn runs as is unknown without the inventory"),
			}),
		},
		{
			Name: "lambda-003-region-error", Methods: []string{"lambda-003"},
			Change: "users allowed lambda:UpdateFunctionCode; lambda:ListFunctions failed in us-west-2 (the other regions have no function)",
			Build: peBuild(func(b *pe) {
				l3(b)
				for i := range b.s.LambdaFunctions {
					if b.s.LambdaFunctions[i].Region == "us-west-2" {
						b.s.LambdaFunctions[i].Error = &snapshot.SourceError{Code: "AccessDeniedException", Action: "lambda:ListFunctions",
							Message: "ListFunctions: User is not authorized to perform: lambda:ListFunctions"}
					}
				}
				sourceError(b.s, snapshot.SourceLambdaFunctions, "AccessDeniedException", "1 of 3 regions could not be read completely: us-west-2 (AccessDeniedException)", true)
			}),
			Expect: with(map[string]PrivescExpect{
				peUser("pe-ufc"):          notAssessed("lambda", "us-west-2's functions are unknown"),
				peUser("pe-ufc-harmless"): passes("its only function ARN is in us-east-1, whose inventory is known: pe-harmless-fn does not exist there, so nothing to take over"),
			}),
		},
		{
			Name: "lambda-003-admin-function", Methods: []string{"lambda-003"},
			Change: "users allowed lambda:UpdateFunctionCode on every function or on a harmless one; a function runs as an administrator role",
			Build: peBuild(func(b *pe) {
				l3(b)
				b.function("pe-admin-fn", peRole("PEFnAdminRole"))
				b.function("pe-harmless-fn", peRole("PEFnHarmlessRole"))
			}),
			Expect: with(map[string]PrivescExpect{
				peUser("pe-ufc"):          fail(ctxKey, false, "replaces pe-admin-fn's code, which runs as PEFnAdminRole", "lambda-003"),
				peUser("pe-ufc-harmless"): passes("may update pe-harmless-fn only, which runs as a harmless role"),
			}),
		},
		{
			Name: "lambda-003-no-functions", Methods: []string{"lambda-003"},
			Change: "users allowed lambda:UpdateFunctionCode; the inventory is collected and holds no function",
			Build:  peBuild(l3),
			Expect: with(map[string]PrivescExpect{
				peUser("pe-ufc"):          passes("no function exists to take over"),
				peUser("pe-ufc-harmless"): passes("no function exists to take over"),
			}),
		},
		{
			Name: "ssm-instances", Methods: []string{"ssm-001", "ssm-002"},
			Change: "a running instance with an administrator instance profile and one with a harmless profile; users allowed ssm:SendCommand or ssm:StartSession on all or some",
			Build:  peBuild(ssm),
			Expect: withSSM(map[string]PrivescExpect{
				peUser("pe-sendcommand"):          fail(ctxKey, false, "runs a command on the admin instance", "ssm-002"),
				peUser("pe-sendcommand-harmless"): passes("ssm:SendCommand only on the harmless instance"),
				peUser("pe-startsession"):         fail(ctxKey, false, "opens a session on the admin instance", "ssm-001"),
				peUser("pe-startsession-denied"):  passes("an explicit Deny on the admin instance"),
			}),
		},
		{
			Name: "ssm-instances-not-collected", Methods: []string{"ssm-002"},
			Change: "users allowed ssm:SendCommand; ec2:DescribeInstances failed in every region",
			Build: peBuild(func(b *pe) {
				ssm(b)
				for i := range b.s.EC2Instances {
					b.s.EC2Instances[i].Instances = []snapshot.EC2Instance{}
					b.s.EC2Instances[i].Error = &snapshot.SourceError{Code: "UnauthorizedOperation", Action: "ec2:DescribeInstances",
						Message: "DescribeInstances: You are not authorized to perform this operation."}
				}
				sourceError(b.s, snapshot.SourceEC2Instances, "UnauthorizedOperation", "3 of 3 regions could not be read completely", false)
			}),
			Expect: withSSM(map[string]PrivescExpect{
				peUser("pe-sendcommand"):          notAssessed("ec2", "the instances and their profiles are unknown"),
				peUser("pe-sendcommand-harmless"): notAssessed("ec2", "which profile the instance runs with is unknown"),
				peUser("pe-startsession"):         notAssessed("ec2", "the instances and their profiles are unknown"),
				peUser("pe-startsession-denied"):  notAssessed("ec2", "other instances with an admin profile may exist"),
			}),
		},
	}
}

// contextFixtures: the request context a path needs.
func contextFixtures() []PrivescFixture {
	return []PrivescFixture{
		{
			Name: "context", Methods: []string{"iam-007", "iam-009"},
			Change: "users whose self-escalation works with their access keys, only in a session without MFA, only with MFA, and a role that escalates in a plain session",
			Build: peBuild(func(b *pe) {
				b.user("pe-ctx-key", allow("iam:PutUserPolicy", peUser("pe-ctx-key")))
				b.user("pe-ctx-mfa", allow("iam:PutUserPolicy", peUser("pe-ctx-mfa")).when("Bool", mfaKey, "true"))
				b.user("pe-ctx-mfa-age", allow("iam:PutUserPolicy", peUser("pe-ctx-mfa-age")).when("NumericLessThan", "aws:MultiFactorAuthAge", "3600"))
				b.user("pe-ctx-session", allow("iam:PutUserPolicy", peUser("pe-ctx-session")).when("Bool", mfaKey, "false"))
				b.role("PECtxRole", trustService("ec2.amazonaws.com"), allow("iam:AttachRolePolicy", peRole("PECtxRole")))
			}),
			Expect: map[string]PrivescExpect{
				peUser("pe-ctx-key"):     fail(ctxKey, false, "no condition: works with the user's access keys", "iam-007"),
				peUser("pe-ctx-mfa"):     fail(ctxMFA, true, "aws:MultiFactorAuthPresent true: only in an MFA session", "iam-007"),
				peUser("pe-ctx-mfa-age"): fail(ctxMFA, true, "aws:MultiFactorAuthAge is present only in an MFA session", "iam-007"),
				peUser("pe-ctx-session"): fail(ctxNoMFA, false, "aws:MultiFactorAuthPresent is absent from long-term access key requests, "+
					"so Bool false matches only a session without MFA (sts:GetSessionToken or a console sign-in)", "iam-007"),
				peRole("PECtxRole"): fail(ctxNoMFA, false, "a role has no access keys: a session without MFA", "iam-009"),
			},
		},
	}
}

// codebuildFixture: codebuild-001 creates a project with an admin service
// role and starts it; codebuild:StartBuild alone (codebuild-002) runs an
// existing project, and lockdown does not collect CodeBuild projects.
func codebuildFixture() PrivescFixture {
	svc := "codebuild.amazonaws.com"
	return PrivescFixture{
		Name: "codebuild-001", Methods: []string{"codebuild-001"},
		Change: "an administrator role and a harmless one trusted by CodeBuild; users allowed iam:PassRole with codebuild:CreateProject, with or without codebuild:StartBuild",
		Build: peBuild(func(b *pe) {
			b.adminRole("PECodeBuildAdminRole", trustService(svc))
			b.harmlessRole("PECodeBuildHarmlessRole", trustService(svc))
			acts := []string{"codebuild:CreateProject", "codebuild:StartBuild"}
			b.user("pe-cb", allow(acts, "*"), allow("iam:PassRole", peRole("PECodeBuildAdminRole")))
			b.user("pe-cb-harmlessrole", allow(acts, "*"), allow("iam:PassRole", peRole("PECodeBuildHarmlessRole")))
			b.user("pe-cb-nostart", allow("codebuild:CreateProject", "*"), allow("iam:PassRole", peRole("PECodeBuildAdminRole")))
			b.user("pe-cb-startdenied", allow(acts, "*"), allow("iam:PassRole", peRole("PECodeBuildAdminRole")), deny("codebuild:StartBuild", "*"))
		}),
		Expect: map[string]PrivescExpect{
			peRole("PECodeBuildAdminRole"):    alreadyAdmin("AdministratorAccess"),
			peRole("PECodeBuildHarmlessRole"): passes("reads one bucket"),
			peUser("pe-cb"):                   fail(ctxKey, false, "creates a project running as the admin role and starts a build", "codebuild-001"),
			peUser("pe-cb-harmlessrole"): notAssessed("codebuild", "can only pass a harmless role, but codebuild:StartBuild on * runs any existing project, "+
				"and CodeBuild projects (with their service roles) are not collected: possible, not absent"),
			peUser("pe-cb-nostart"):     passes("cannot start a build of the project it creates"),
			peUser("pe-cb-startdenied"): passes("an explicit Deny of codebuild:StartBuild"),
		},
	}
}

// guideAsWrittenFixture: the guide as written attaches AdminPolicy to the
// Administrators group: its members hold * directly. That is
// administrator power (LD-ADM-01), not an escalation.
func guideAsWrittenFixture() PrivescFixture {
	return PrivescFixture{
		Name: "guide-as-written", Change: "the guide's account as written: AdminPolicy on the Administrators group",
		Build: func() *snapshot.Snapshot {
			s := GuideAsWritten()
			s.LambdaFunctions = nil
			for _, r := range GuideRegions {
				s.LambdaFunctions = append(s.LambdaFunctions, snapshot.LambdaRegion{Region: r, Requests: 1, Functions: []snapshot.LambdaFunction{}})
			}
			s.Sources[snapshot.SourceLambdaFunctions] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: len(GuideRegions)}
			return s
		},
		Expect: map[string]PrivescExpect{
			AliceARN:                            alreadyAdmin("a member of Administrators, which holds AdminPolicy (* on *) directly"),
			accountARN + "group/Administrators": alreadyAdmin("AdminPolicy"),
		},
	}
}

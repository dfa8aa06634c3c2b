package privesc

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCatalogueEveryMethodHandled(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Methods) != 70 {
		t.Fatalf("%d methods, want 70", len(c.Methods))
	}
	for _, m := range c.Methods {
		h := handling[m.ID]
		if h.kind == kPassRole && !contains(m.Required, "iam:PassRole") {
			t.Errorf("%s is handled as passing a role but does not need iam:PassRole", m.ID)
		}
		if (h.kind == kPassRole || h.kind == kUncollected) && h.service == "" {
			t.Errorf("%s names no service", m.ID)
		}
	}
	if len(c.Sources) < 2 || c.Sources[0].Commit == "" || c.Sources[0].License == "" {
		t.Errorf("the attribution is missing: %+v", c.Sources)
	}
}

const (
	lambdaTrust = "lambda.amazonaws.com"
)

// passRoleAccount: ci-user may pass roles to Lambda and create and invoke
// functions; deploy-admin (admin) and harmless (not) trust Lambda.
func passRoleAccount(passStmt string, extra ...string) *acctBuilder {
	b := newAccount()
	stmts := append([]string{passStmt, allow(`["lambda:CreateFunction","lambda:InvokeFunction"]`, `"*"`)}, extra...)
	b.user("ci-user", nil, doc(stmts...))
	b.role("deploy-admin", trustService(lambdaTrust), true)
	b.role("harmless", trustService(lambdaTrust), false, doc(allow(`"logs:*"`, `"*"`)))
	b.role("ec2-admin", trustService("ec2.amazonaws.com"), true)
	return b
}

func TestPassRoleToLambda(t *testing.T) {
	ci := arn("user/ci-user")
	deployAdmin := arn("role/deploy-admin")
	passed := `{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}`
	t.Run("positive", func(t *testing.T) {
		res := passRoleAccount(allowIf(`"iam:PassRole"`, `"`+arn("role/*")+`"`, passed)).run(t, nil)
		p := wantPath(t, res, ci, deployAdmin, "access_key", "lambda-001")
		if p.Summary != "ci-user -> iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction (lambda-001) -> role/deploy-admin, with long-term access keys, without MFA" {
			t.Errorf("summary %q", p.Summary)
		}
		acts := p.Steps[0].Actions
		if acts[0].Action != "iam:PassRole" || acts[0].Resource != deployAdmin || acts[0].Statement != "#1" || acts[0].Policy != "ci-user-0" {
			t.Errorf("actions %+v", acts)
		}
	})
	t.Run("resource constraint: only the harmless role", func(t *testing.T) {
		res := passRoleAccount(allow(`"iam:PassRole"`, `"`+arn("role/harmless")+`"`)).run(t, nil)
		wantNoPath(t, res, ci)
	})
	t.Run("condition: passed only to EC2", func(t *testing.T) {
		res := passRoleAccount(allowIf(`"iam:PassRole"`, `"*"`, `{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}`)).run(t, nil)
		// ec2-admin trusts EC2, but ci-user cannot run instances.
		wantNoPath(t, res, ci)
	})
	t.Run("deny on lambda:CreateFunction", func(t *testing.T) {
		res := passRoleAccount(allow(`"iam:PassRole"`, `"*"`), deny(`"lambda:CreateFunction"`, `"*"`)).run(t, nil)
		wantNoPath(t, res, ci)
	})
	t.Run("deny on the function ARNs, allow on *", func(t *testing.T) {
		res := passRoleAccount(allow(`"iam:PassRole"`, `"*"`), deny(`"lambda:*"`, `"arn:aws:lambda:*:*:function:*"`)).run(t, nil)
		wantNoPath(t, res, ci)
	})
	t.Run("boundary without iam:PassRole", func(t *testing.T) {
		b := passRoleAccount(allow(`"iam:PassRole"`, `"*"`))
		bd := b.managed("Boundary", doc(allow(`"lambda:*"`, `"*"`)))
		b.s.Users[0].PermissionsBoundary = &snapshotBoundary{Type: "PermissionsBoundaryPolicy", ARN: bd}
		wantNoPath(t, b.run(t, nil), ci)
	})
	t.Run("only with MFA", func(t *testing.T) {
		res := passRoleAccount(allowIf(`"iam:PassRole"`, `"*"`, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)).run(t, nil)
		p := wantPath(t, res, ci, deployAdmin, "mfa_session", "lambda-001")
		if !p.RequiresMFA || !strings.HasSuffix(p.Summary, "only with MFA") {
			t.Errorf("%+v", p)
		}
	})
	t.Run("ec2 needs an instance profile or the right to make one", func(t *testing.T) {
		b := newAccount()
		b.user("ci-user", nil, doc(allow(`"iam:PassRole"`, `"*"`), allow(`"ec2:RunInstances"`, `"*"`)))
		b.role("ec2-admin", trustService("ec2.amazonaws.com"), true)
		wantNoPath(t, b.run(t, nil), ci)
		b.s.Roles[0].InstanceProfiles = []string{arn("instance-profile/ec2-admin")}
		wantPath(t, b.run(t, nil), ci, arn("role/ec2-admin"), "access_key", "ec2-001")
	})
}

// snapshotBoundary is the snapshot's boundary type (aliased to keep the
// table short).
type snapshotBoundary = snapshotPermissionsBoundary

func TestSelfEscalation(t *testing.T) {
	bob := arn("user/bob")
	t.Run("iam-007 on itself", func(t *testing.T) {
		b := newAccount()
		b.user("bob", nil, doc(allow(`"iam:PutUserPolicy"`, `"arn:aws:iam::*:user/${aws:username}"`)))
		b.user("carol", nil, doc(allow(`"s3:GetObject"`, `"*"`)))
		res := b.run(t, nil)
		p := wantPath(t, res, bob, bob, "access_key", "iam-007")
		if p.Steps[0].Actions[0].Resource != bob {
			t.Errorf("resource %s", p.Steps[0].Actions[0].Resource)
		}
		wantNoPath(t, res, arn("user/carol"))
	})
	t.Run("iam-007 on another, harmless user", func(t *testing.T) {
		b := newAccount()
		b.user("bob", nil, doc(allow(`"iam:PutUserPolicy"`, `"`+arn("user/carol")+`"`)))
		b.user("carol", nil)
		wantNoPath(t, b.run(t, nil), bob)
	})
	t.Run("iam-008 with a PolicyARN condition that excludes admin", func(t *testing.T) {
		b := newAccount()
		b.user("bob", nil, doc(allowIf(`"iam:AttachUserPolicy"`, `"`+bob+`"`,
			`{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}`)))
		wantNoPath(t, b.run(t, nil), bob)
		b.s.Users[0].InlinePolicies[0].Document = doc(allow(`"iam:AttachUserPolicy"`, `"`+bob+`"`))
		wantPath(t, b.run(t, nil), bob, bob, "access_key", "iam-008")
	})
	t.Run("iam-001 on its own customer managed policy, not on another", func(t *testing.T) {
		b := newAccount()
		own := b.managed("BobPolicy", doc(allow(`"iam:CreatePolicyVersion"`, `"`+arn("policy/BobPolicy")+`"`)))
		b.managed("Other", doc(allow(`"s3:*"`, `"*"`)))
		u := b.user("bob", nil)
		u.AttachedPolicies = append(u.AttachedPolicies, attachedPolicy("BobPolicy", own))
		wantPath(t, b.run(t, nil), bob, bob, "access_key", "iam-001")
		b.s.Policies[1].Versions[0].Document = doc(allow(`"iam:CreatePolicyVersion"`, `"`+arn("policy/Other")+`"`))
		wantNoPath(t, b.run(t, nil), bob)
	})
	t.Run("iam-005 role edits itself; iam-011 group edits itself", func(t *testing.T) {
		b := newAccount()
		b.role("worker", trustService(lambdaTrust), false, doc(allow(`"iam:PutRolePolicy"`, `"`+arn("role/worker")+`"`)))
		b.group("devs", doc(allow(`"iam:PutGroupPolicy"`, `"`+arn("group/devs")+`"`)))
		b.user("dev", []string{"devs"})
		res := b.run(t, nil)
		wantPath(t, res, arn("role/worker"), arn("role/worker"), "session_no_mfa", "iam-005")
		wantPath(t, res, arn("group/devs"), arn("group/devs"), "access_key", "iam-011")
		wantPath(t, res, arn("user/dev"), arn("user/dev"), "access_key", "iam-011")
	})
	t.Run("ext-iam-setdefaultpolicyversion needs an admin version", func(t *testing.T) {
		b := newAccount()
		own := b.managed("BobPolicy", doc(allow(`"iam:SetDefaultPolicyVersion"`, `"`+arn("policy/BobPolicy")+`"`)), doc(allow(`"*"`, `"*"`)))
		u := b.user("bob", nil)
		u.AttachedPolicies = append(u.AttachedPolicies, attachedPolicy("BobPolicy", own))
		wantPath(t, b.run(t, nil), bob, bob, "access_key", "ext-iam-setdefaultpolicyversion")
		b.s.Policies[1].Versions[1].Document = doc(allow(`"s3:*"`, `"*"`))
		wantNoPath(t, b.run(t, nil), bob)
	})
	t.Run("a boundary that allows less than everything caps what it gives itself", func(t *testing.T) {
		b := newAccount()
		bd := b.managed("Boundary", doc(allow(`["iam:PutUserPolicy","s3:*"]`, `"*"`)))
		u := b.user("bob", nil, doc(allow(`"iam:PutUserPolicy"`, `"`+bob+`"`)))
		u.PermissionsBoundary = &snapshotBoundary{Type: "PermissionsBoundaryPolicy", ARN: bd}
		wantNoPath(t, b.run(t, nil), bob)
		b.s.Policies[1].Versions[0].Document = doc(allow(`"*"`, `"*"`))
		wantPath(t, b.run(t, nil), bob, bob, "access_key", "iam-007")
	})
	t.Run("iam-013 joins an admin group", func(t *testing.T) {
		b := newAccount()
		g := b.group("Admins")
		g.AttachedPolicies = adminAttached
		b.user("bob", nil, doc(allow(`"iam:AddUserToGroup"`, `"`+arn("group/Admins")+`"`)))
		wantPath(t, b.run(t, nil), bob, bob, "access_key", "iam-013")
	})
}

func TestOtherUsersCredentials(t *testing.T) {
	mallory := arn("user/mallory")
	root := arn("user/boss")
	build := func(actions string) *acctBuilder {
		b := newAccount()
		b.user("mallory", nil, doc(allow(actions, `"`+root+`"`)))
		b.admin("boss")
		return b
	}
	t.Run("iam-002", func(t *testing.T) {
		wantPath(t, build(`"iam:CreateAccessKey"`).run(t, nil), mallory, root, "access_key", "iam-002")
	})
	t.Run("two keys: iam-003 needs DeleteAccessKey", func(t *testing.T) {
		two := func(inv *Inventory) {
			n := 2
			s := inv.Users[root]
			s.AccessKeys = &n
			inv.Users[root] = s
		}
		wantNoPath(t, build(`"iam:CreateAccessKey"`).run(t, two), mallory)
		wantPath(t, build(`["iam:CreateAccessKey","iam:DeleteAccessKey"]`).run(t, two), mallory, root, "access_key", "iam-003")
	})
	t.Run("login profile: create without a password, update with one, none with MFA", func(t *testing.T) {
		wantPath(t, build(`"iam:CreateLoginProfile"`).run(t, nil), mallory, root, "access_key", "iam-004")
		withPassword := func(inv *Inventory) {
			tr := true
			s := inv.Users[root]
			s.Password = &tr
			inv.Users[root] = s
		}
		wantNoPath(t, build(`"iam:CreateLoginProfile"`).run(t, withPassword), mallory)
		wantPath(t, build(`"iam:UpdateLoginProfile"`).run(t, withPassword), mallory, root, "access_key", "iam-006")
		withMFA := func(inv *Inventory) {
			tr := true
			s := inv.Users[root]
			s.MFA = &tr
			inv.Users[root] = s
		}
		wantNoPath(t, build(`"iam:CreateLoginProfile"`).run(t, withMFA), mallory)
	})
	t.Run("credentials unknown: possible", func(t *testing.T) {
		res := build(`"iam:CreateAccessKey"`).run(t, func(inv *Inventory) { inv.Users = nil; inv.UsersUnknown = "the credential report was not collected" })
		v := verdictOf(t, res, mallory)
		if len(v.Paths) != 1 || !v.Paths[0].Possible || !strings.Contains(v.Paths[0].Unknown, "credential report was not collected") {
			t.Fatalf("%+v", v.Paths)
		}
	})
	t.Run("iam-015 gives another user admin, then takes a key", func(t *testing.T) {
		b := newAccount()
		b.user("mallory", nil, doc(allow(`["iam:AttachUserPolicy","iam:CreateAccessKey"]`, `"`+arn("user/victim")+`"`)))
		b.user("victim", nil)
		wantPath(t, b.run(t, nil), mallory, arn("user/victim"), "access_key", "iam-015")
	})
}

func TestRoles(t *testing.T) {
	alice := arn("user/alice")
	t.Run("pure AssumeRole into an admin role is not an escalation", func(t *testing.T) {
		b := newAccount()
		b.user("alice", nil, doc(allow(`"sts:AssumeRole"`, `"`+arn("role/AdminRole")+`"`)))
		b.role("AdminRole", trustAccount(), true)
		wantNoPath(t, b.run(t, nil), alice)
	})
	t.Run("multi-step: assume a role that can edit its own policy (sts-001, iam-005)", func(t *testing.T) {
		b := newAccount()
		b.user("alice", nil, doc(allow(`"sts:AssumeRole"`, `"`+arn("role/ops")+`"`)))
		b.role("ops", trustAccount(), false, doc(allow(`"iam:PutRolePolicy"`, `"`+arn("role/ops")+`"`)))
		res := b.run(t, nil)
		p := wantPath(t, res, alice, arn("role/ops"), "access_key", "sts-001", "iam-005")
		if p.Steps[0].To != arn("role/ops") || p.Steps[1].From != arn("role/ops") {
			t.Errorf("steps %+v", p.Steps)
		}
		wantPath(t, res, arn("role/ops"), arn("role/ops"), "session_no_mfa", "iam-005")
	})
	t.Run("trust policy that does not admit the account", func(t *testing.T) {
		b := newAccount()
		b.user("alice", nil, doc(allow(`"sts:AssumeRole"`, `"*"`)))
		b.role("ops", trustService(lambdaTrust), false, doc(allow(`"iam:PutRolePolicy"`, `"`+arn("role/ops")+`"`)))
		wantNoPath(t, b.run(t, nil), alice)
	})
	t.Run("MFA carried through AssumeRole", func(t *testing.T) {
		b := newAccount()
		b.user("alice", nil, doc(allow(`"sts:AssumeRole"`, `"`+arn("role/ops")+`"`)))
		b.role("ops", doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+testAcct+`:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`),
			false, doc(allowIf(`"iam:PutRolePolicy"`, `"`+arn("role/ops")+`"`, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)))
		p := wantPath(t, b.run(t, nil), alice, arn("role/ops"), "mfa_session", "sts-001", "iam-005")
		if !p.RequiresMFA {
			t.Error("requires_mfa false")
		}
	})
	t.Run("a role admin only with MFA is not admin when passed to a service", func(t *testing.T) {
		b := passRoleAccount(allow(`"iam:PassRole"`, `"*"`))
		b.s.Roles[0].AttachedPolicies = nil
		b.s.Roles[0].InlinePolicies = []snapshotInline{inline("mfa-admin", doc(allowIf(`"*"`, `"*"`, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)))}
		wantNoPath(t, b.run(t, nil), arn("user/ci-user"))
	})
	t.Run("iam-014 attach to a role, then assume it", func(t *testing.T) {
		b := newAccount()
		b.user("alice", nil, doc(allow(`["iam:AttachRolePolicy","sts:AssumeRole"]`, `"`+arn("role/ops")+`"`)))
		b.role("ops", trustAccount(), false)
		wantPath(t, b.run(t, nil), alice, arn("role/ops"), "access_key", "iam-014")
	})
	t.Run("iam-012 rewrite the trust policy of an admin role", func(t *testing.T) {
		b := newAccount()
		b.user("alice", nil, doc(allow(`"iam:UpdateAssumeRolePolicy"`, `"`+arn("role/svc-admin")+`"`)))
		b.role("svc-admin", trustService(lambdaTrust), true)
		wantPath(t, b.run(t, nil), alice, arn("role/svc-admin"), "access_key", "iam-012")
		b.s.Users[0].InlinePolicies = append(b.s.Users[0].InlinePolicies, inline("deny", doc(deny(`"sts:AssumeRole"`, `"*"`))))
		wantNoPath(t, b.run(t, nil), alice)
	})
}

func TestExistingResources(t *testing.T) {
	dev := arn("user/dev")
	fnRole := arn("role/fn-admin")
	build := func() *acctBuilder {
		b := newAccount()
		b.user("dev", nil, doc(allow(`"lambda:UpdateFunctionCode"`, `"arn:aws:lambda:us-east-1:`+testAcct+`:function:billing"`)))
		b.role("fn-admin", trustService(lambdaTrust), true)
		return b
	}
	billing := Function{ARN: "arn:aws:lambda:us-east-1:" + testAcct + ":function:billing", Role: fnRole}
	other := Function{ARN: "arn:aws:lambda:us-east-1:" + testAcct + ":function:other", Role: fnRole}
	t.Run("the function runs as an admin role", func(t *testing.T) {
		res := build().run(t, func(inv *Inventory) { inv.Functions = []Function{billing} })
		wantPath(t, res, dev, fnRole, "access_key", "lambda-003")
	})
	t.Run("the allowed function is not the admin one", func(t *testing.T) {
		res := build().run(t, func(inv *Inventory) { inv.Functions = []Function{other} })
		wantNoPath(t, res, dev)
	})
	t.Run("functions not known: possible", func(t *testing.T) {
		res := build().run(t, func(inv *Inventory) {
			inv.FunctionsUnknown = "Lambda functions (source lambda_functions was not collected)"
		})
		v := verdictOf(t, res, dev)
		if len(v.Paths) == 0 || !v.Paths[0].Possible || !strings.Contains(v.Paths[0].Unknown, "lambda_functions") {
			b, _ := json.Marshal(v)
			t.Fatalf("%s", b)
		}
	})
	t.Run("functions unknown in another region only", func(t *testing.T) {
		res := build().run(t, func(inv *Inventory) {
			inv.FunctionsUnknown = "Lambda functions in us-west-2"
			inv.FunctionRegions = map[string]bool{"us-east-1": true}
		})
		wantNoPath(t, res, dev)
	})
	t.Run("ssm:SendCommand on an instance with an admin profile", func(t *testing.T) {
		b := newAccount()
		b.user("dev", nil, doc(allow(`"ssm:SendCommand"`, `"*"`)))
		r := b.role("ec2-admin", trustService("ec2.amazonaws.com"), true)
		r.InstanceProfiles = []string{arn("instance-profile/ec2-admin")}
		in := Instance{ARN: "arn:aws:ec2:eu-west-1:" + testAcct + ":instance/i-0abc", Region: "eu-west-1", Profile: arn("instance-profile/ec2-admin")}
		wantPath(t, b.run(t, func(inv *Inventory) { inv.Instances = []Instance{in} }), dev, arn("role/ec2-admin"), "access_key", "ssm-002")
		wantNoPath(t, b.run(t, nil), dev)
	})
	t.Run("a resource type not collected, only where an admin role trusts the service", func(t *testing.T) {
		b := newAccount()
		b.user("dev", nil, doc(allow(`"codebuild:StartBuild"`, `"*"`)))
		b.role("build", trustService("codebuild.amazonaws.com"), false)
		wantNoPath(t, b.run(t, nil), dev)
		b.s.Roles[0].AttachedPolicies = adminAttached
		v := verdictOf(t, b.run(t, nil), dev)
		if len(v.Paths) == 0 || !v.Paths[0].Possible || v.Paths[0].MethodIDs[0] != "codebuild-002" {
			t.Fatalf("%+v", v.Paths)
		}
	})
}

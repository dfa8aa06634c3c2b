package deploy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/intrinsics"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

const (
	auditorAccount = "111122223333"
	memberAccount  = "444455556666"
	auditorARN     = "arn:aws:iam::" + auditorAccount + ":role/lockdown-auditor"
)

func repoFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The generated files are what tools/mkdeploy makes of today's policy.
func TestGeneratedFilesMatchPolicy(t *testing.T) {
	policy := repoFile(t, PolicyPath)
	want, err := CloudFormationTemplate(policy)
	if err != nil {
		t.Fatal(err)
	}
	if got := repoFile(t, CloudFormationPath); string(got) != string(want) {
		t.Errorf("%s is not generated from %s: run go run ./tools/mkdeploy", CloudFormationPath, PolicyPath)
	}
	if got := repoFile(t, TerraformPolicyPath); string(got) != string(policy) {
		t.Errorf("%s is not a copy of %s: run go run ./tools/mkdeploy", TerraformPolicyPath, PolicyPath)
	}
}

// role is the audit role as a template or module creates it.
type role struct {
	name        string
	maxSession  int
	trust       []byte   // the trust policy document (JSON)
	inline      []byte   // the inline policy document (JSON)
	managedARNs []string // attached managed policies
}

func TestCloudFormationTemplate(t *testing.T) {
	for _, withSecurityAudit := range []bool{false, true} {
		tmpl, err := goformation.OpenWithOptions(filepath.Join("..", CloudFormationPath), &intrinsics.ProcessorOptions{
			EvaluateConditions: true,
			// goformation resolves only some pseudo parameters; CloudFormation
			// gives AWS::Partition, "aws" in the commercial regions.
			IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
				"Fn::Sub": func(name string, input, template any) any {
					if s, ok := input.(string); ok {
						input = strings.ReplaceAll(s, "${AWS::Partition}", "aws")
					}
					return intrinsics.FnSub(name, input, template)
				},
			},
			ParameterOverrides: map[string]any{
				"AuditorPrincipalArn": auditorARN,
				"AttachSecurityAudit": map[bool]string{false: "false", true: "true"}[withSecurityAudit],
			},
		})
		if err != nil {
			t.Fatalf("%s: %v", CloudFormationPath, err)
		}
		roles := tmpl.GetAllIAMRoleResources()
		if len(roles) != 1 || len(tmpl.Resources) != 1 {
			t.Fatalf("%s: want exactly one resource, an AWS::IAM::Role; got %d resources, %d roles", CloudFormationPath, len(tmpl.Resources), len(roles))
		}
		r, err := tmpl.GetIAMRoleWithName("LockdownAuditRole")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Policies) != 1 {
			t.Fatalf("want one inline policy, got %d", len(r.Policies))
		}
		got := role{name: deref(r.RoleName), trust: mustJSON(t, r.AssumeRolePolicyDocument), inline: mustJSON(t, r.Policies[0].PolicyDocument), managedARNs: r.ManagedPolicyArns}
		if r.MaxSessionDuration != nil {
			got.maxSession = *r.MaxSessionDuration
		}
		checkRole(t, CloudFormationPath, got, withSecurityAudit)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTerraformModule(t *testing.T) {
	dir := filepath.Join("..", "deploy", "terraform", "lockdown-audit-role")
	mod := parseModule(t, dir)
	for _, withSecurityAudit := range []bool{false, true} {
		vars := map[string]cty.Value{
			"auditor_principal_arn": cty.StringVal(auditorARN),
			"role_name":             mod.defaults["role_name"],
			"attach_security_audit": cty.BoolVal(withSecurityAudit),
			"tags":                  cty.MapValEmpty(cty.String),
		}
		ctx := evalContext(dir, vars)
		rr := mod.resource(t, "aws_iam_role", "lockdown_audit")
		got := role{
			name:       mod.str(t, rr, "name", ctx),
			maxSession: mod.int(t, rr, "max_session_duration", ctx),
			trust:      []byte(mod.str(t, rr, "assume_role_policy", ctx)),
			inline:     []byte(mod.str(t, mod.resource(t, "aws_iam_role_policy", "lockdown_audit"), "policy", ctx)),
		}
		att := mod.resource(t, "aws_iam_role_policy_attachment", "security_audit")
		if n := mod.int(t, att, "count", ctx); n == 1 {
			got.managedARNs = []string{mod.str(t, att, "policy_arn", ctx)}
		} else if n != 0 {
			t.Fatalf("security_audit count = %d", n)
		}
		checkRole(t, dir, got, withSecurityAudit)
	}
	if got := mod.defaults["role_name"].AsString(); got != "lockdown-audit" {
		t.Errorf("role_name default %q, want the StackSet template's lockdown-audit", got)
	}
	if !mod.defaults["attach_security_audit"].False() {
		t.Errorf("attach_security_audit defaults to true; SecurityAudit must be opt-in")
	}
	// The validation refuses anything but one role or user: a whole account
	// or a wildcard would let every principal there assume the audit role.
	for arn, ok := range map[string]bool{
		auditorARN: true,
		"arn:aws:iam::111122223333:user/ci/auditor":   true,
		"arn:aws-us-gov:iam::111122223333:role/audit": true,
		"arn:aws:iam::111122223333:root":              false,
		"111122223333":                                false,
		"*":                                           false,
		"arn:aws:iam::111122223333:role/*":            false,
		"arn:aws:iam::*:role/lockdown-auditor":        false,
	} {
		ctx := evalContext(dir, map[string]cty.Value{"auditor_principal_arn": cty.StringVal(arn)})
		v, diags := mod.validation["auditor_principal_arn"].Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("validation of %q: %v", arn, diags)
		}
		if v.True() != ok {
			t.Errorf("auditor_principal_arn %q accepted=%v, want %v", arn, v.True(), ok)
		}
	}
}

// checkRole asks lockdown's policy engine about a role as deployed: its
// inline policy is the shipped policy, it allows every call the collectors
// make and no other action, and only the auditing principal may assume it.
func checkRole(t *testing.T, where string, r role, withSecurityAudit bool) {
	t.Helper()
	if r.name != "lockdown-audit" {
		t.Errorf("%s: role name %q, want lockdown-audit", where, r.name)
	}
	if r.maxSession != 3600 {
		t.Errorf("%s: MaxSessionDuration %d, want 3600", where, r.maxSession)
	}
	if !sameJSON(t, r.inline, repoFile(t, PolicyPath)) {
		t.Errorf("%s: the inline policy is not %s:\n%s", where, PolicyPath, r.inline)
	}
	wantManaged := []string(nil)
	if withSecurityAudit {
		wantManaged = []string{"arn:aws:iam::aws:policy/SecurityAudit"}
	}
	if !reflect.DeepEqual(r.managedARNs, wantManaged) {
		t.Errorf("%s (SecurityAudit %v): managed policies %q, want %q", where, withSecurityAudit, r.managedARNs, wantManaged)
	}

	inline, err := iampolicy.Parse("lockdown-audit", r.inline)
	if err != nil {
		t.Fatalf("%s: inline policy: %v", where, err)
	}
	roleARN := "arn:aws:iam::" + memberAccount + ":role/lockdown-audit"
	session := iampolicy.Principal{
		ARN: "arn:aws:sts::" + memberAccount + ":assumed-role/lockdown-audit/audit", Type: "assumed-role",
		AccountID: memberAccount, Name: "lockdown-audit", RoleARN: roleARN,
	}
	set := iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{{Kind: iampolicy.KindRoleInline, Name: "lockdown-audit", Policy: inline}}}
	needed := map[string]bool{}
	for _, op := range collect.Operations {
		needed[strings.ToLower(op.Action())] = true
		if d := iampolicy.Evaluate(set, iampolicy.Request{Principal: session, Action: op.Action(), Resource: "*"}); !d.Allowed {
			t.Errorf("%s: the role cannot call %s (source %s): %s", where, op.Action(), op.Source, d.Reason)
		}
	}
	all := iampolicy.ExpandAction("*")
	if len(all) < 10000 {
		t.Fatalf("the action catalogue lists only %d actions", len(all))
	}
	for _, action := range all {
		if needed[strings.ToLower(action)] || strings.EqualFold(action, "sts:GetCallerIdentity") {
			continue
		}
		if d := iampolicy.Evaluate(set, iampolicy.Request{Principal: session, Action: action, Resource: "*"}); d.Allowed {
			t.Errorf("%s: the role may call %s, which no collector calls", where, action)
		}
	}

	trust, err := iampolicy.Parse("trust", r.trust)
	if err != nil {
		t.Fatalf("%s: trust policy: %v", where, err)
	}
	// Each caller's own account lets it call sts:AssumeRole anywhere, so
	// that the trust policy alone decides.
	anyAssume, err := iampolicy.Parse("caller", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	callerSet := iampolicy.PolicySet{
		Identity: []iampolicy.PolicyRef{{Kind: iampolicy.KindRoleInline, Name: "caller", Policy: anyAssume}},
		Resource: []iampolicy.PolicyRef{{Kind: iampolicy.KindTrust, Name: "trust", ARN: roleARN, Policy: trust}},
	}
	sessionOf := func(account, path, name string) iampolicy.Principal {
		return iampolicy.Principal{
			ARN: "arn:aws:sts::" + account + ":assumed-role/" + name + "/s", Type: "assumed-role", AccountID: account,
			Name: name, RoleARN: "arn:aws:iam::" + account + ":role/" + path + name,
		}
	}
	for _, c := range []struct {
		who  string
		p    iampolicy.Principal
		want bool
	}{
		{"the auditing role", sessionOf(auditorAccount, "", "lockdown-auditor"), true},
		{"another role of the auditing account", sessionOf(auditorAccount, "", "developer"), false},
		{"a role of the same name in another account", sessionOf("999988887777", "", "lockdown-auditor"), false},
		{"a role of the member account", sessionOf(memberAccount, "", "admin"), false},
		{"a user of the auditing account", iampolicy.Principal{ARN: "arn:aws:iam::" + auditorAccount + ":user/lockdown-auditor", Type: "user", AccountID: auditorAccount, Name: "lockdown-auditor"}, false},
		{"the auditing account's root", iampolicy.Principal{ARN: "arn:aws:iam::" + auditorAccount + ":root", Type: "root", AccountID: auditorAccount}, false},
		{"the EC2 service", iampolicy.Principal{ARN: "ec2.amazonaws.com", Type: "service", Name: "ec2.amazonaws.com"}, false},
	} {
		d := iampolicy.Evaluate(callerSet, iampolicy.Request{Principal: c.p, Action: "sts:AssumeRole", Resource: roleARN})
		if d.Allowed != c.want {
			t.Errorf("%s: %s may assume the audit role: %v, want %v (%s)", where, c.who, d.Allowed, c.want, d.Reason)
		}
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// module is a Terraform module's resources and variables, parsed with HCL.
type module struct {
	resources  map[string]hcl.Attributes // "type.name" -> attributes
	defaults   map[string]cty.Value      // variable -> default
	validation map[string]hcl.Expression // variable -> its validation condition
}

func parseModule(t *testing.T, dir string) *module {
	t.Helper()
	m := &module{resources: map[string]hcl.Attributes{}, defaults: map[string]cty.Value{}, validation: map[string]hcl.Expression{}}
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files in %s", dir)
	}
	p := hclparse.NewParser()
	top := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"}, {Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}}, {Type: "variable", LabelNames: []string{"name"}},
		{Type: "output", LabelNames: []string{"name"}},
	}}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// hclwrite.Format is what terraform fmt applies.
		if formatted := hclwrite.Format(src); string(formatted) != string(src) {
			t.Errorf("%s is not in canonical HCL format (terraform fmt)", f)
		}
		file, diags := p.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f, diags)
		}
		content, diags := file.Body.Content(top)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f, diags)
		}
		for _, b := range content.Blocks {
			switch b.Type {
			case "resource":
				attrs, diags := b.Body.JustAttributes()
				if diags.HasErrors() {
					t.Fatalf("%s: resource %s.%s: %v", f, b.Labels[0], b.Labels[1], diags)
				}
				m.resources[b.Labels[0]+"."+b.Labels[1]] = attrs
			case "variable":
				vc, diags := b.Body.Content(&hcl.BodySchema{
					Attributes: []hcl.AttributeSchema{{Name: "description", Required: true}, {Name: "type", Required: true}, {Name: "default"}},
					Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
				})
				if diags.HasErrors() {
					t.Fatalf("%s: variable %s: %v", f, b.Labels[0], diags)
				}
				if d, ok := vc.Attributes["default"]; ok {
					v, diags := d.Expr.Value(nil)
					if diags.HasErrors() {
						t.Fatalf("%s: variable %s default: %v", f, b.Labels[0], diags)
					}
					m.defaults[b.Labels[0]] = v
				}
				for _, vb := range vc.Blocks {
					va, diags := vb.Body.JustAttributes()
					if diags.HasErrors() {
						t.Fatalf("%s: variable %s validation: %v", f, b.Labels[0], diags)
					}
					m.validation[b.Labels[0]] = va["condition"].Expr
				}
			}
		}
	}
	if len(p.Files()) != len(files) {
		t.Fatalf("parsed %d of %d files", len(p.Files()), len(files))
	}
	return m
}

func (m *module) resource(t *testing.T, typ, name string) hcl.Attributes {
	t.Helper()
	r, ok := m.resources[typ+"."+name]
	if !ok {
		t.Fatalf("the module has no resource %s.%s", typ, name)
	}
	return r
}

func (m *module) value(t *testing.T, attrs hcl.Attributes, name string, ctx *hcl.EvalContext) cty.Value {
	t.Helper()
	a, ok := attrs[name]
	if !ok {
		t.Fatalf("attribute %s missing", name)
	}
	v, diags := a.Expr.Value(ctx)
	if diags.HasErrors() {
		t.Fatalf("attribute %s: %v", name, diags)
	}
	return v
}

func (m *module) str(t *testing.T, attrs hcl.Attributes, name string, ctx *hcl.EvalContext) string {
	t.Helper()
	v := m.value(t, attrs, name, ctx)
	if v.Type() != cty.String {
		t.Fatalf("attribute %s is %s, not a string", name, v.Type().FriendlyName())
	}
	return v.AsString()
}

func (m *module) int(t *testing.T, attrs hcl.Attributes, name string, ctx *hcl.EvalContext) int {
	t.Helper()
	v := m.value(t, attrs, name, ctx)
	if v.Type() != cty.Number {
		t.Fatalf("attribute %s is %s, not a number", name, v.Type().FriendlyName())
	}
	n, _ := v.AsBigFloat().Int64()
	return int(n)
}

// evalContext gives the expressions the Terraform functions and objects the
// module uses: var, path.module, data.aws_partition, jsonencode, file, regex, can.
func evalContext(dir string, vars map[string]cty.Value) *hcl.EvalContext {
	file := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := os.ReadFile(args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(string(b)), nil
		},
	})
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":  cty.ObjectVal(vars),
			"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(dir)}),
			"data": cty.ObjectVal(map[string]cty.Value{"aws_partition": cty.ObjectVal(map[string]cty.Value{
				"current": cty.ObjectVal(map[string]cty.Value{"partition": cty.StringVal("aws")}),
			})}),
		},
		Functions: map[string]function.Function{
			"jsonencode": stdlib.JSONEncodeFunc, "file": file, "regex": stdlib.RegexFunc, "can": tryfunc.CanFunc,
		},
	}
}

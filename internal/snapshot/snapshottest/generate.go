package snapshottest

// Generate: large, realistic, deterministic accounts for benchmarks and
// scale tests. The same Config always gives the same snapshot: all
// randomness comes from Config.Seed and all times are fixed relative to
// GeneratedAt.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Config sizes the generated account.
type Config struct {
	Users    int
	Roles    int
	Policies int // customer managed policies
	Groups   int // 0: derived from Users (between 3 and 300, the default quota)
	Seed     int64
}

// Fixed facts of every generated account.
const (
	GeneratedAccountID = "111122223333"
	genARN             = "arn:aws:iam::" + GeneratedAccountID + ":"
)

// GeneratedAt is the collection time of every generated snapshot.
var GeneratedAt = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

var genAccountCreated = time.Date(2017, 3, 14, 9, 26, 53, 0, time.UTC)

type gen struct {
	r   *rand.Rand
	cfg Config
	s   *snapshot.Snapshot
	// attachments counts attachments per managed policy ARN.
	attachments map[string]int32
	customer    []snapshot.ManagedPolicy
	groupNames  []string
}

// Generate builds the account described by cfg.
func Generate(cfg Config) *snapshot.Snapshot {
	if cfg.Groups <= 0 {
		cfg.Groups = min(300, max(3, cfg.Users/40))
	}
	g := &gen{
		r:           rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6c6f636b646f776e)),
		cfg:         cfg,
		attachments: map[string]int32{},
	}
	g.s = &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		Generator:   snapshot.Generator{Name: "lockdown-synth", Version: "1"},
		CollectedAt: GeneratedAt,
		Account:     snapshot.Account{ID: GeneratedAccountID, Partition: "aws", Aliases: []string{"example-corp-prod"}},
		Sources:     map[string]snapshot.SourceStatus{},
	}
	g.policies()
	g.groups()
	g.users()
	g.roles()
	g.finish()
	snapshot.Normalize(g.s)
	return g.s
}

// between returns a time uniformly in [from, to).
func (g *gen) between(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from
	}
	return from.Add(time.Duration(g.r.Int64N(int64(d/time.Second))) * time.Second).UTC()
}

func (g *gen) daysAgo(lo, hi int) time.Time {
	return g.between(GeneratedAt.AddDate(0, 0, -hi), GeneratedAt.AddDate(0, 0, -lo))
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *gen, list []T) T { return list[g.r.IntN(len(list))] }

func mustDoc(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	d, err := snapshot.NormalizeDocument(string(b))
	if err != nil {
		panic(err)
	}
	return d
}

type obj = map[string]any

func policyDoc(statements ...obj) json.RawMessage {
	list := make([]any, len(statements))
	for i, s := range statements {
		list[i] = s
	}
	return mustDoc(obj{"Version": "2012-10-17", "Statement": list})
}

var (
	services = []string{"s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "rds", "cloudwatch", "logs", "kms",
		"ecr", "ecs", "eks", "secretsmanager", "ssm", "cloudformation", "route53", "elasticloadbalancing", "athena", "glue"}
	regions = []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}
	teams   = []string{"platform", "data", "payments", "mobile", "web", "security", "ml", "sre", "finance", "support"}
	first   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
		"niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin"}
	last = []string{"smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas", "moore",
		"martin", "lee", "perez", "white", "harris", "clark", "lewis", "young", "walker", "hall"}
)

// document returns a realistic policy document of a kind chosen by the
// generator: read-only services, scoped data access with conditions,
// NotAction/NotResource, wildcards, tag-based access, PassRole, MFA gates.
func (g *gen) document(i int) json.RawMessage {
	svc := pick(g, services)
	team := pick(g, teams)
	bucket := fmt.Sprintf("arn:aws:s3:::%s-%s-%04d", team, pick(g, []string{"logs", "assets", "exports", "backups"}), i)
	switch g.r.IntN(12) {
	case 0:
		return policyDoc(obj{"Sid": "ReadOnly", "Effect": "Allow", "Action": []string{svc + ":Get*", svc + ":List*", svc + ":Describe*"}, "Resource": "*"})
	case 1:
		return policyDoc(
			obj{"Sid": "BucketList", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket,
				"Condition": obj{"StringLike": obj{"s3:prefix": []string{team + "/*", "shared/*"}}}},
			obj{"Sid": "ObjectRW", "Effect": "Allow", "Action": []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, "Resource": bucket + "/" + team + "/*",
				"Condition": obj{"IpAddress": obj{"aws:SourceIp": []string{"203.0.113.0/24", "198.51.100.0/24"}}}},
		)
	case 2:
		return policyDoc(obj{"Sid": "DenyOutsideRegions", "Effect": "Deny", "NotAction": []string{"iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*", "route53:*"},
			"Resource": "*", "Condition": obj{"StringNotEquals": obj{"aws:RequestedRegion": []string{pick(g, regions), "eu-west-1"}}}})
	case 3:
		return policyDoc(obj{"Effect": "Allow", "Action": svc + ":*", "Resource": "*",
			"Condition": obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}, "NumericLessThan": obj{"aws:MultiFactorAuthAge": "3600"}}})
	case 4:
		return policyDoc(obj{"Sid": "TeamInstances", "Effect": "Allow", "Action": []string{"ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"},
			"Resource":  "arn:aws:ec2:*:" + GeneratedAccountID + ":instance/*",
			"Condition": obj{"StringEquals": obj{"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}})
	case 5:
		return policyDoc(obj{"Sid": "PassAppRoles", "Effect": "Allow", "Action": "iam:PassRole", "Resource": genARN + "role/app-" + team + "-*",
			"Condition": obj{"StringEquals": obj{"iam:PassedToService": []string{"ec2.amazonaws.com", "lambda.amazonaws.com"}}}})
	case 6:
		return policyDoc(obj{"Effect": "Allow", "Action": "s3:*", "NotResource": []string{"arn:aws:s3:::secrets-*", "arn:aws:s3:::secrets-*/*"}})
	case 7:
		return policyDoc(
			obj{"Effect": "Allow", "Action": []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"},
				"Resource":  fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s-*", pick(g, regions), GeneratedAccountID, team),
				"Condition": obj{"ForAllValues:StringEquals": obj{"dynamodb:LeadingKeys": []string{"${aws:userid}"}}}},
			obj{"Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"},
		)
	case 8:
		return policyDoc(obj{"Effect": "Allow", "Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
			"Condition": obj{"ForAnyValue:StringLike": obj{"kms:ResourceAliases": "alias/" + team + "-*"},
				"DateLessThan": obj{"aws:CurrentTime": "2027-06-30T00:00:00Z"}}})
	case 9:
		return policyDoc(obj{"Effect": "Allow", "NotAction": []string{"iam:*", "organizations:*", "account:*"}, "Resource": "*"})
	case 10:
		return policyDoc(obj{"Sid": "Secrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
			"Resource":  fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s/*", pick(g, regions), GeneratedAccountID, team),
			"Condition": obj{"StringEqualsIfExists": obj{"aws:PrincipalTag/team": team}, "Bool": obj{"aws:SecureTransport": "true"}}})
	default:
		return policyDoc(obj{"Effect": "Allow", "Action": []string{svc + ":*", "cloudwatch:GetMetricData", "logs:*"},
			"Resource": []string{fmt.Sprintf("arn:aws:%s:*:%s:*", svc, GeneratedAccountID), "*"}})
	}
}

// The guide's MFA policy and admin policies, present in every generated
// account so that the guide's checks have something to find.
var (
	mfaPolicyDoc = mustDoc(obj{"Version": "2012-10-17", "Statement": []any{
		obj{"Sid": "AllowSelfService", "Effect": "Allow", "Action": []string{"iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",
			"iam:ResyncMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:GetAccountPasswordPolicy"},
			"Resource": []string{"arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:mfa/${aws:username}"}},
		obj{"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
			"Condition": obj{"BoolIfExists": obj{"aws:MultiFactorAuthPresent": "false"}}},
	}})
	assumeAdminDoc = mustDoc(obj{"Version": "2012-10-17", "Statement": []any{
		obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": genARN + "role/AdminRole",
			"Condition": obj{"Bool": obj{"aws:MultiFactorAuthPresent": true, "aws:SecureTransport": true}, "NumericLessThan": obj{"aws:MultiFactorAuthAge": "3600"}}},
	}})
)

// awsManaged are real AWS managed policies (default version documents as
// published by AWS) that generated principals attach.
var awsManaged = []snapshot.ManagedPolicy{
	managed("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1", "2015-02-06T18:39:46Z", "2015-02-06T18:39:46Z",
		`{"Version":"2012-10-17","Statement":[{"Action":"*","Resource":"*","Effect":"Allow"}]}`),
	managed("AmazonS3ReadOnlyAccess", "/", "ANPAIZTJ4DXE7G6AGAE6M", "v3", "2015-02-06T18:40:59Z", "2023-08-10T21:31:39Z",
		`{"Version":"2012-10-17","Statement":[{"Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*","Effect":"Allow"}]}`),
	managed("AmazonEC2ReadOnlyAccess", "/", "ANPAIGDT4SV4GSETWTBZK", "v5", "2015-02-06T18:40:17Z", "2026-02-12T18:03:17Z",
		`{"Version":"2012-10-17","Statement":[{"Action":["ec2:Describe*","ec2:GetSecurityGroupsForVpc"],"Resource":"*","Effect":"Allow"},{"Action":"elasticloadbalancing:Describe*","Resource":"*","Effect":"Allow"},{"Action":["cloudwatch:ListMetrics","cloudwatch:GetMetricStatistics","cloudwatch:Describe*"],"Resource":"*","Effect":"Allow"},{"Action":"autoscaling:Describe*","Resource":"*","Effect":"Allow"}]}`),
	managed("AWSLambdaBasicExecutionRole", "/service-role/", "ANPAJNCQGXC42545SKXIK", "v1", "2015-04-09T15:03:43Z", "2015-04-09T15:03:43Z",
		`{"Version":"2012-10-17","Statement":[{"Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*","Effect":"Allow"}]}`),
	managed("IAMUserChangePassword", "/", "ANPAJ4L4MM2A7QIEB56MS", "v5", "2016-11-15T00:25:16Z", "2026-02-12T17:58:57Z",
		`{"Version":"2012-10-17","Statement":[{"Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:user/*/${aws:username}"],"Effect":"Allow"},{"Action":["iam:GetAccountPasswordPolicy"],"Resource":"*","Effect":"Allow"}]}`),
}

func managed(name, path, id, version, created, updated, document string) snapshot.ManagedPolicy {
	c, _ := time.Parse(time.RFC3339, created)
	u, _ := time.Parse(time.RFC3339, updated)
	d, err := snapshot.NormalizeDocument(document)
	if err != nil {
		panic(err)
	}
	return snapshot.ManagedPolicy{
		Name: name, ID: id, ARN: "arn:aws:iam::aws:policy" + path + name, Path: path, DefaultVersionID: version,
		IsAttachable: true, CreateDate: c.UTC(), UpdateDate: u.UTC(),
		Versions: []snapshot.PolicyVersion{{VersionID: version, IsDefaultVersion: true, CreateDate: u.UTC(), Document: d}},
	}
}

func attached(p snapshot.ManagedPolicy) snapshot.AttachedPolicy {
	return snapshot.AttachedPolicy{Name: p.Name, ARN: p.ARN}
}

func (g *gen) attach(list *[]snapshot.AttachedPolicy, p snapshot.ManagedPolicy) {
	for _, a := range *list {
		if a.ARN == p.ARN {
			return
		}
	}
	*list = append(*list, attached(p))
	g.attachments[p.ARN]++
}

func (g *gen) customerPolicy(name, path, desc string, doc func(i int) json.RawMessage, i int) snapshot.ManagedPolicy {
	created := g.between(genAccountCreated, GeneratedAt.AddDate(0, -1, 0))
	n := 1 + g.r.IntN(3)
	p := snapshot.ManagedPolicy{
		Name: name, ID: ID("ANPA", GeneratedAccountID+"/policy"+path+name), ARN: genARN + "policy" + path + name, Path: path,
		IsAttachable: true, Description: desc, CreateDate: created,
	}
	t := created
	for v := 1; v <= n; v++ {
		p.Versions = append(p.Versions, snapshot.PolicyVersion{
			VersionID: fmt.Sprintf("v%d", v), IsDefaultVersion: v == n, CreateDate: t, Document: doc(i),
		})
		p.UpdateDate = t
		t = g.between(t, GeneratedAt)
	}
	p.DefaultVersionID = fmt.Sprintf("v%d", n)
	return p
}

func (g *gen) policies() {
	fixed := func(d json.RawMessage) func(int) json.RawMessage { return func(int) json.RawMessage { return d } }
	g.customer = append(g.customer,
		g.customerPolicy("IAMRequireMFA", "/", "Self-service credentials; deny everything else without MFA", fixed(mfaPolicyDoc), 0),
		g.customerPolicy("AssumeAdminRole", "/", "Assume AdminRole with MFA", fixed(assumeAdminDoc), 0),
	)
	for i := len(g.customer); i < g.cfg.Policies; i++ {
		team := pick(g, teams)
		path := "/"
		if g.chance(0.3) {
			path = "/" + team + "/"
		}
		name := fmt.Sprintf("%s-%s-%05d", team, pick(g, []string{"read", "write", "deploy", "ops", "data", "ci"}), i)
		g.customer = append(g.customer, g.customerPolicy(name, path, "Access for the "+team+" team", g.document, i))
	}
	if g.cfg.Policies < len(g.customer) {
		g.customer = g.customer[:max(g.cfg.Policies, 0)]
	}
}

// randomCustomer returns a customer policy other than the guide's two.
func (g *gen) randomCustomer() (snapshot.ManagedPolicy, bool) {
	if len(g.customer) <= 2 {
		return snapshot.ManagedPolicy{}, false
	}
	return g.customer[2+g.r.IntN(len(g.customer)-2)], true
}

func (g *gen) inline(name string, i int) snapshot.InlinePolicy {
	return snapshot.InlinePolicy{Name: name, Document: g.document(i)}
}

func (g *gen) groups() {
	names := []string{"Users", "Administrators"}
	for i := len(names); i < g.cfg.Groups; i++ {
		names = append(names, fmt.Sprintf("%s-%s-%03d", pick(g, teams), pick(g, []string{"engineers", "readers", "oncall", "analysts"}), i))
	}
	names = names[:min(len(names), g.cfg.Groups)]
	g.groupNames = names
	for i, name := range names {
		grp := snapshot.Group{
			Name: name, ID: ID("AGPA", GeneratedAccountID+"/group/"+name), ARN: genARN + "group/" + name, Path: "/",
			CreateDate: g.between(genAccountCreated, GeneratedAt.AddDate(0, 0, -30)),
		}
		switch {
		case name == "Users" && len(g.customer) > 0:
			g.attach(&grp.AttachedPolicies, g.customer[0])
		case name == "Administrators" && len(g.customer) > 1:
			g.attach(&grp.AttachedPolicies, g.customer[1])
			if g.chance(0.5) { // the guide as written: admin rights on the group itself
				g.attach(&grp.AttachedPolicies, awsManaged[0])
			}
		default:
			for n := g.r.IntN(4); n > 0; n-- {
				if p, ok := g.randomCustomer(); ok {
					g.attach(&grp.AttachedPolicies, p)
				}
			}
			if g.chance(0.2) {
				g.attach(&grp.AttachedPolicies, awsManaged[1+g.r.IntN(2)])
			}
			if g.chance(0.15) {
				grp.InlinePolicies = append(grp.InlinePolicies, g.inline(fmt.Sprintf("group-inline-%d", i), i))
			}
		}
		g.s.Groups = append(g.s.Groups, grp)
	}
}

// key fills one access key's columns: active or inactive, with rotation
// and last use dates (or N/A when never used).
func (g *gen) key(r map[string]string, n int, created time.Time) {
	p := fmt.Sprintf("access_key_%d_", n)
	active := g.chance(0.85)
	r[p+"active"] = fmt.Sprint(active)
	if !active {
		return // AWS reports N/A for an inactive key's rotation date
	}
	rotated := g.between(created, GeneratedAt.AddDate(0, 0, -1))
	r[p+"last_rotated"] = CRTime(rotated)
	if g.chance(0.8) {
		r[p+"last_used_date"] = CRTime(g.between(rotated, GeneratedAt))
		svc := pick(g, services)
		r[p+"last_used_service"] = svc
		if svc == "s3" && g.chance(0.3) || svc == "route53" {
			return // global calls have no region
		}
		r[p+"last_used_region"] = pick(g, regions)
	}
}

func (g *gen) users() {
	rows := []map[string]string{g.rootRow()}
	used := map[string]bool{}
	for i := 0; i < g.cfg.Users; i++ {
		name := fmt.Sprintf("%s.%s", pick(g, first), pick(g, last))
		if used[name] {
			name = fmt.Sprintf("%s%d", name, i)
		}
		used[name] = true
		path := "/"
		if g.chance(0.2) {
			path = "/" + pick(g, []string{"engineering", "contractors", "automation"}) + "/"
		}
		created := g.between(genAccountCreated, GeneratedAt.AddDate(0, 0, -2))
		u := snapshot.User{
			Name: name, ID: ID("AIDA", GeneratedAccountID+"/user/"+name), ARN: genARN + "user" + path + name, Path: path, CreateDate: created,
		}
		// Group membership: most users carry the MFA requirement.
		groups := map[string]bool{}
		if g.chance(0.9) && len(g.groupNames) > 0 {
			groups[g.groupNames[0]] = true
		}
		if g.chance(0.01) && len(g.groupNames) > 1 {
			groups[g.groupNames[1]] = true
		}
		if len(g.groupNames) > 2 {
			for n := g.r.IntN(3); n > 0; n-- {
				groups[g.groupNames[2+g.r.IntN(len(g.groupNames)-2)]] = true
			}
		}
		for gn := range groups {
			u.Groups = append(u.Groups, gn)
		}
		sort.Strings(u.Groups)
		if g.chance(0.05) {
			if p, ok := g.randomCustomer(); ok {
				g.attach(&u.AttachedPolicies, p)
			}
		}
		if g.chance(0.01) {
			g.attach(&u.AttachedPolicies, awsManaged[0])
		}
		if g.chance(0.03) {
			u.InlinePolicies = append(u.InlinePolicies, g.inline("user-inline", i))
		}
		if g.chance(0.02) && len(g.customer) > 2 {
			p, _ := g.randomCustomer()
			u.PermissionsBoundary = &snapshot.PermissionsBoundary{Type: "PermissionsBoundaryPolicy", ARN: p.ARN}
		}
		if g.chance(0.4) {
			u.Tags = []snapshot.Tag{{Key: "team", Value: pick(g, teams)}}
			if g.chance(0.5) {
				u.Tags = append(u.Tags, snapshot.Tag{Key: "cost-center", Value: fmt.Sprintf("cc-%04d", g.r.IntN(10000))})
			}
		}
		g.s.Users = append(g.s.Users, u)

		row := EmptyRow(name, u.ARN, created)
		// Automation users and a quarter of the others are programmatic only.
		if console := path != "/automation/" && !g.chance(0.25); console {
			row["password_enabled"] = "true"
			changed := g.between(created, GeneratedAt)
			row["password_last_changed"] = CRTime(changed)
			row["password_next_rotation"] = CRTime(changed.AddDate(0, 0, 90))
			if g.chance(0.1) {
				row["password_last_used"] = "no_information"
			} else {
				row["password_last_used"] = CRTime(g.between(changed, GeneratedAt))
			}
			if g.chance(0.8) {
				row["mfa_active"] = "true"
				if g.chance(0.9) { // the rest use hardware or passkeys, not listed as virtual devices
					enabled := g.between(created, GeneratedAt)
					g.s.VirtualMFADevices = append(g.s.VirtualMFADevices, snapshot.VirtualMFADevice{
						SerialNumber: genARN + "mfa/" + name, UserARN: u.ARN, UserName: name, EnableDate: &enabled,
					})
				}
			}
		}
		if g.chance(0.7) {
			g.key(row, 1, created)
			if g.chance(0.15) {
				g.key(row, 2, created)
			}
		}
		rows = append(rows, row)
	}
	// A few unassigned virtual devices, as left behind by deactivation.
	for i := 0; i < g.cfg.Users/200; i++ {
		g.s.VirtualMFADevices = append(g.s.VirtualMFADevices, snapshot.VirtualMFADevice{SerialNumber: fmt.Sprintf("%smfa/unassigned-%04d", genARN, i)})
	}
	g.s.CredentialReport = &snapshot.CredentialReport{
		GeneratedTime: GeneratedAt.Add(-2 * time.Minute),
		Columns:       append([]string(nil), CredentialReportColumns...),
		Rows:          rows,
	}
}

func (g *gen) rootRow() map[string]string {
	r := RootRow(GeneratedAccountID, genAccountCreated)
	r["password_last_used"] = CRTime(g.daysAgo(30, 400))
	r["mfa_active"] = "true"
	return r
}

func (g *gen) trust(i int) (json.RawMessage, string, []string) {
	switch g.r.IntN(6) {
	case 0, 1:
		svc := pick(g, []string{"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com"})
		var profiles []string
		if svc == "ec2.amazonaws.com" {
			profiles = []string{fmt.Sprintf("%sinstance-profile/app-%05d", genARN, i)}
		}
		return policyDoc(obj{"Effect": "Allow", "Principal": obj{"Service": svc}, "Action": "sts:AssumeRole"}), "/service-role/", profiles
	case 2:
		return policyDoc(obj{"Effect": "Allow", "Principal": obj{"AWS": fmt.Sprintf("arn:aws:iam::%012d:root", 100000000000+g.r.Int64N(899999999999))},
			"Action": "sts:AssumeRole", "Condition": obj{"StringEquals": obj{"sts:ExternalId": fmt.Sprintf("ext-%08x", g.r.Uint32())}}}), "/", nil
	case 3:
		return policyDoc(obj{"Effect": "Allow", "Principal": obj{"Federated": genARN + "saml-provider/Okta"},
			"Action": "sts:AssumeRoleWithSAML", "Condition": obj{"StringEquals": obj{"SAML:aud": "https://signin.aws.amazon.com/saml"}}}), "/", nil
	case 4:
		return policyDoc(obj{"Effect": "Allow", "Principal": obj{"Federated": genARN + "oidc-provider/token.actions.githubusercontent.com"},
			"Action": "sts:AssumeRoleWithWebIdentity", "Condition": obj{
				"StringEquals": obj{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
				"StringLike":   obj{"token.actions.githubusercontent.com:sub": fmt.Sprintf("repo:example-corp/%s-service-%d:*", pick(g, teams), i)}}}), "/", nil
	default:
		st := obj{"Effect": "Allow", "Principal": obj{"AWS": genARN + "root"}, "Action": []string{"sts:AssumeRole", "sts:TagSession"}}
		if g.chance(0.7) {
			st["Condition"] = obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}}
		}
		return policyDoc(st), "/", nil
	}
}

func (g *gen) roles() {
	for i := 0; i < g.cfg.Roles; i++ {
		var (
			name, path string
			doc        json.RawMessage
			profiles   []string
		)
		if i == 0 {
			name, path = "AdminRole", "/"
			doc = policyDoc(obj{"Effect": "Allow", "Principal": obj{"AWS": genARN + "root"}, "Action": "sts:AssumeRole",
				"Condition": obj{"Bool": obj{"aws:MultiFactorAuthPresent": "true"}}})
		} else {
			doc, path, profiles = g.trust(i)
			name = fmt.Sprintf("app-%s-%05d", pick(g, teams), i)
		}
		r := snapshot.Role{
			Name: name, ID: ID("AROA", GeneratedAccountID+"/role/"+name), ARN: genARN + "role" + path + name, Path: path,
			CreateDate:               g.between(genAccountCreated, GeneratedAt.AddDate(0, 0, -1)),
			AssumeRolePolicyDocument: doc,
			InstanceProfiles:         profiles,
		}
		dur := int32(3600)
		if i > 0 && g.chance(0.2) {
			dur = pick(g, []int32{7200, 14400, 43200})
		}
		r.MaxSessionDuration = &dur
		if i == 0 {
			r.Description = "Administrator access, assumed with MFA"
			g.attach(&r.AttachedPolicies, awsManaged[0])
		} else {
			if path == "/service-role/" {
				g.attach(&r.AttachedPolicies, awsManaged[3])
			}
			for n := g.r.IntN(3); n > 0; n-- {
				if p, ok := g.randomCustomer(); ok {
					g.attach(&r.AttachedPolicies, p)
				}
			}
			if g.chance(0.25) {
				r.InlinePolicies = append(r.InlinePolicies, g.inline("role-inline", i))
			}
			if g.chance(0.05) {
				p, ok := g.randomCustomer()
				if ok {
					r.PermissionsBoundary = &snapshot.PermissionsBoundary{Type: "PermissionsBoundaryPolicy", ARN: p.ARN}
				}
			}
		}
		if g.chance(0.75) {
			t := g.between(r.CreateDate, GeneratedAt)
			r.RoleLastUsed = &snapshot.RoleLastUsed{LastUsedDate: &t, Region: pick(g, regions)}
		}
		g.s.Roles = append(g.s.Roles, r)
	}
}

// finish sets attachment counts, the AWS managed policies in use, the
// account summary, sources and caller.
func (g *gen) finish() {
	boundaries := map[string]int32{}
	for _, u := range g.s.Users {
		if u.PermissionsBoundary != nil {
			boundaries[u.PermissionsBoundary.ARN]++
		}
	}
	for _, r := range g.s.Roles {
		if r.PermissionsBoundary != nil {
			boundaries[r.PermissionsBoundary.ARN]++
		}
	}
	versions := 0
	for _, p := range g.customer {
		p.AttachmentCount = g.attachments[p.ARN]
		p.PermissionsBoundaryUsageCount = boundaries[p.ARN]
		versions += len(p.Versions)
		g.s.Policies = append(g.s.Policies, p)
	}
	// GetAccountAuthorizationDetails lists AWS managed policies only when attached.
	for _, p := range awsManaged {
		if n := g.attachments[p.ARN]; n > 0 {
			p.AttachmentCount = n
			g.s.Policies = append(g.s.Policies, p)
		}
	}
	inUse := 0
	for _, d := range g.s.VirtualMFADevices {
		if d.UserARN != "" {
			inUse++
		}
	}
	g.s.AccountSummary = map[string]int64{
		"AccessKeysPerUserQuota": 2, "AccountAccessKeysPresent": 0, "AccountMFAEnabled": 1, "AccountPasswordPresent": 1,
		"AccountSigningCertificatesPresent": 0, "AssumeRolePolicySizeQuota": 2048, "AttachedPoliciesPerGroupQuota": 10,
		"AttachedPoliciesPerRoleQuota": 10, "AttachedPoliciesPerUserQuota": 10, "GlobalEndpointTokenVersion": 2,
		"GroupPolicySizeQuota": 5120, "Groups": int64(len(g.s.Groups)), "GroupsPerUserQuota": 10, "GroupsQuota": 300,
		"InstanceProfiles": int64(countProfiles(g.s.Roles)), "InstanceProfilesQuota": int64(max(1000, g.cfg.Roles)),
		"MFADevices": int64(len(g.s.VirtualMFADevices)), "MFADevicesInUse": int64(inUse),
		"Policies": int64(len(g.customer)), "PoliciesQuota": int64(max(1500, len(g.customer))), "PolicySizeQuota": 6144,
		"PolicyVersionsInUse": int64(versions), "PolicyVersionsInUseQuota": 10000, "Providers": 2,
		"RolePolicySizeQuota": 10240, "Roles": int64(len(g.s.Roles)), "RolesQuota": int64(max(1000, g.cfg.Roles)),
		"ServerCertificates": 0, "ServerCertificatesQuota": 20, "SigningCertificatesPerUserQuota": 2,
		"UserPolicySizeQuota": 2048, "Users": int64(len(g.s.Users)), "UsersQuota": int64(max(5000, g.cfg.Users)),
		"VersionsPerPolicyQuota": 5,
	}
	minLen := int32(14)
	age := int32(90)
	reuse := int32(24)
	g.s.PasswordPolicy = &snapshot.PasswordPolicy{
		MinimumPasswordLength: &minLen, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, ExpirePasswords: true,
		MaxPasswordAge: &age, PasswordReusePrevention: &reuse,
	}
	pages := func(n, per int) int { return max(1, (n+per-1)/per) }
	authItems := len(g.s.Users) + len(g.s.Groups) + len(g.s.Roles) + len(g.s.Policies)
	for _, src := range []string{snapshot.SourceCallerIdentity, snapshot.SourceAccountSummary, snapshot.SourcePasswordPolicy, snapshot.SourceAccountAliases} {
		g.s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 1}
	}
	g.s.Sources[snapshot.SourceCredentialReport] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: 2}
	g.s.Sources[snapshot.SourceVirtualMFADevices] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: pages(len(g.s.VirtualMFADevices), 1000)}
	g.s.Sources[snapshot.SourceAuthorizationDetails] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: pages(authItems, 1000)}
	if len(g.s.Roles) > 0 {
		session := "aws-go-sdk-1795780752000000000"
		g.s.Caller = &snapshot.Caller{
			ARN:     "arn:aws:sts::" + GeneratedAccountID + ":assumed-role/AdminRole/" + session,
			UserID:  g.s.Roles[0].ID + ":" + session,
			Account: GeneratedAccountID,
		}
	} else {
		g.s.Caller = &snapshot.Caller{ARN: genARN + "user/auditor", UserID: ID("AIDA", "auditor"), Account: GeneratedAccountID}
	}
}

func countProfiles(roles []snapshot.Role) int {
	n := 0
	for _, r := range roles {
		n += len(r.InstanceProfiles)
	}
	return n
}

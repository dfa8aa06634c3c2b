package collect

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const testAccountID = "111122223333"

var fixedNow = time.Date(2026, 11, 27, 8, 30, 15, 123456789, time.UTC)

// fastOptions keeps retries and polls short so fault tests stay fast.
func fastOptions() Options {
	return Options{
		ToolVersion:             "test",
		MaxBackoff:              time.Millisecond,
		CredentialReportPoll:    time.Millisecond,
		CredentialReportTimeout: 10 * time.Second,
		Now:                     func() time.Time { return fixedNow },
		Stderr:                  io.Discard, // the SDK's warnings about stalled bodies
	}
}

func startServer(t *testing.T, acct *iamtest.Account) *iamtest.Server {
	t.Helper()
	s := iamtest.NewServer(t, acct)
	s.SetEnv(t)
	return s
}

func mustCollect(t *testing.T, opts Options) *snapshot.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	snap, err := Collect(ctx, opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	// Whatever went wrong, what was collected must load back as a snapshot.
	data, err := snapshot.Marshal(snap)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if _, err := snapshot.Decode("collected.json", data); err != nil {
		t.Fatalf("the collected snapshot does not load back: %v", err)
	}
	return snap
}

func allSources() []string {
	return []string{
		snapshot.SourceCallerIdentity, snapshot.SourceCredentialReport, snapshot.SourceAccountSummary,
		snapshot.SourcePasswordPolicy, snapshot.SourceAccountAliases, snapshot.SourceVirtualMFADevices,
		snapshot.SourceAuthorizationDetails,
	}
}

func requireOK(t *testing.T, snap *snapshot.Snapshot, sources ...string) {
	t.Helper()
	for _, src := range sources {
		st, ok := snap.Sources[src]
		if !ok {
			t.Errorf("source %s was not recorded", src)
			continue
		}
		if st.Status != snapshot.StatusOK || st.Error != nil {
			t.Errorf("source %s: status %q error %+v, want ok", src, st.Status, st.Error)
		}
	}
}

func requireError(t *testing.T, snap *snapshot.Snapshot, src, code string, msgParts ...string) snapshot.SourceStatus {
	t.Helper()
	st := snap.Sources[src]
	if st.Status != snapshot.StatusError || st.Error == nil {
		t.Fatalf("source %s: status %q error %+v, want error %s", src, st.Status, st.Error, code)
	}
	if st.Error.Code != code {
		t.Errorf("source %s: error code %q, want %q (message %q)", src, st.Error.Code, code, st.Error.Message)
	}
	for _, p := range msgParts {
		if !strings.Contains(st.Error.Message, p) {
			t.Errorf("source %s: error message %q does not mention %q", src, st.Error.Message, p)
		}
	}
	return st
}

// expected builds, from the server's model, the entity lists a correct
// collection must produce: documents normalised, AWS managed policies only
// when in use.
func expected(t *testing.T, a *iamtest.Account) *snapshot.Snapshot {
	t.Helper()
	norm := func(d json.RawMessage) json.RawMessage {
		n, err := snapshot.NormalizeDocument(string(d))
		if err != nil {
			t.Fatalf("model document %s: %v", d, err)
		}
		return n
	}
	var want snapshot.Snapshot
	copyJSON(t, a.Users, &want.Users)
	copyJSON(t, a.Groups, &want.Groups)
	copyJSON(t, a.Roles, &want.Roles)
	for i := range want.Users {
		for j := range want.Users[i].InlinePolicies {
			want.Users[i].InlinePolicies[j].Document = norm(want.Users[i].InlinePolicies[j].Document)
		}
	}
	for i := range want.Groups {
		for j := range want.Groups[i].InlinePolicies {
			want.Groups[i].InlinePolicies[j].Document = norm(want.Groups[i].InlinePolicies[j].Document)
		}
	}
	for i := range want.Roles {
		r := &want.Roles[i]
		r.AssumeRolePolicyDocument = norm(r.AssumeRolePolicyDocument)
		for j := range r.InlinePolicies {
			r.InlinePolicies[j].Document = norm(r.InlinePolicies[j].Document)
		}
	}
	for _, p := range a.Policies {
		if iamtest.IsAWSManaged(p.ARN) && p.AttachmentCount == 0 && p.PermissionsBoundaryUsageCount == 0 {
			continue
		}
		var c snapshot.ManagedPolicy
		copyJSON(t, p, &c)
		for j := range c.Versions {
			c.Versions[j].Document = norm(c.Versions[j].Document)
		}
		want.Policies = append(want.Policies, c)
	}
	snapshot.Normalize(&want)
	return &want
}

func copyJSON(t *testing.T, from, to any) {
	t.Helper()
	b, err := json.Marshal(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, to); err != nil {
		t.Fatal(err)
	}
}

func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if !bytes.Equal(g, w) {
		t.Errorf("%s differ:\n got: %.1500s\nwant: %.1500s", what, g, w)
	}
}

func TestCollectAllSources(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 25)
	acct.MFASeeds = true
	srv := startServer(t, acct)
	var progress []string
	opts := fastOptions()
	opts.Progress = func(src string, pages int) { progress = append(progress, fmt.Sprintf("%s:%d", src, pages)) }
	snap := mustCollect(t, opts)

	requireOK(t, snap, allSources()...)
	if snap.Schema != snapshot.SchemaV1 || snap.Generator != (snapshot.Generator{Name: "lockdown", Version: "test"}) {
		t.Errorf("schema/generator = %q %+v", snap.Schema, snap.Generator)
	}
	if want := fixedNow.Truncate(time.Second); !snap.CollectedAt.Equal(want) || snap.CollectedAt.Location() != time.UTC {
		t.Errorf("CollectedAt = %v, want %v UTC", snap.CollectedAt, want)
	}
	if snap.Account.ID != testAccountID || snap.Account.Partition != "aws" {
		t.Errorf("account = %+v", snap.Account)
	}
	if snap.Caller == nil || snap.Caller.ARN != acct.CallerARN || snap.Caller.UserID != acct.CallerUserID || snap.Caller.Account != testAccountID {
		t.Errorf("caller = %+v", snap.Caller)
	}
	sameJSON(t, "aliases", snap.Account.Aliases, acct.Aliases)
	sameJSON(t, "account summary", snap.AccountSummary, acct.Summary)
	sameJSON(t, "password policy", snap.PasswordPolicy, acct.PasswordPolicy)

	want := expected(t, acct)
	sameJSON(t, "users", snap.Users, want.Users)
	sameJSON(t, "groups", snap.Groups, want.Groups)
	sameJSON(t, "roles", snap.Roles, want.Roles)
	sameJSON(t, "policies", snap.Policies, want.Policies)
	for _, p := range snap.Policies {
		if p.ARN == "arn:aws:iam::aws:policy/UnusedAWSPolicy" {
			t.Errorf("an AWS managed policy that is not in use was collected")
		}
	}

	if len(snap.VirtualMFADevices) != len(acct.MFADevices) {
		t.Errorf("%d MFA devices, want %d", len(snap.VirtualMFADevices), len(acct.MFADevices))
	}
	data, err := snapshot.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	// The SDK decodes the seed and QR code to bytes; copied into the
	// snapshot they would come back as the same base64 (or the raw text).
	for _, secret := range []string{iamtest.MFASeed, base64.StdEncoding.EncodeToString([]byte(iamtest.MFASeed)),
		base64.StdEncoding.EncodeToString([]byte(iamtest.MFAQRCode)), "QRCODE", "seed", "qr_code", "wJalrXUtnFEMI"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("snapshot contains %q", secret)
		}
	}
	if _, err := snapshot.Decode("collected", data); err != nil {
		t.Errorf("collected snapshot does not load back: %v", err)
	}

	cr := snap.CredentialReport
	if cr == nil || len(cr.Rows) != len(acct.Users)+1 || len(cr.Columns) != 22 {
		t.Fatalf("credential report = %+v", cr)
	}
	if cr.Rows[0]["user"] != "<root_account>" || cr.Rows[0]["password_enabled"] != "not_supported" || cr.Rows[1]["password_next_rotation"] != "N/A" {
		t.Errorf("credential report values not verbatim: %v %v", cr.Rows[0], cr.Rows[1])
	}
	if !cr.GeneratedTime.Equal(acct.ReportGenerated) {
		t.Errorf("generated time %v, want %v", cr.GeneratedTime, acct.ReportGenerated)
	}
	note := snap.Sources[snapshot.SourceCredentialReport].Note
	if !strings.Contains(note, "4 hours") || !strings.Contains(note, "2026-11-27T05:00:00Z") {
		t.Errorf("credential report note = %q", note)
	}

	// Requests per source match what the server saw (no retries here).
	counts := srv.Counts()
	perSource := map[string]int{}
	for _, op := range Operations {
		perSource[op.Source] += counts[op.Name]
	}
	for _, src := range allSources() {
		if got := snap.Sources[src].Requests; got != perSource[src] || got == 0 {
			t.Errorf("source %s recorded %d requests, server saw %d", src, got, perSource[src])
		}
	}
	if len(progress) != srv.Total() {
		t.Errorf("progress called %d times for %d requests", len(progress), srv.Total())
	}
}

func TestAccessDeniedPerSource(t *testing.T) {
	cases := []struct {
		action, source string
	}{
		{"GenerateCredentialReport", snapshot.SourceCredentialReport},
		{"GetCredentialReport", snapshot.SourceCredentialReport},
		{"GetAccountSummary", snapshot.SourceAccountSummary},
		{"GetAccountPasswordPolicy", snapshot.SourcePasswordPolicy},
		{"ListAccountAliases", snapshot.SourceAccountAliases},
		{"ListVirtualMFADevices", snapshot.SourceVirtualMFADevices},
		{"GetAccountAuthorizationDetails", snapshot.SourceAuthorizationDetails},
		{"ListRoles", snapshot.SourceAuthorizationDetails},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			acct := iamtest.GenerateAccount(testAccountID, 5)
			srv := startServer(t, acct)
			srv.DenyAccess(tc.action)
			snap := mustCollect(t, fastOptions())
			st := requireError(t, snap, tc.source, "AccessDenied", tc.action, "not authorized")
			if st.Error.Action != "iam:"+tc.action {
				t.Errorf("action = %q, want iam:%s", st.Error.Action, tc.action)
			}
			var others []string
			for _, s := range allSources() {
				if s != tc.source {
					others = append(others, s)
				}
			}
			requireOK(t, snap, others...)
			if snap.Account.ID != testAccountID || len(snap.AccountSummary) == 0 && tc.source != snapshot.SourceAccountSummary {
				t.Errorf("other sources lost data: account %+v summary %v", snap.Account, snap.AccountSummary)
			}
			if tc.action == "ListRoles" {
				// Everything GetAccountAuthorizationDetails gave is kept.
				if !st.Partial || len(snap.Users) != 5 || len(snap.Roles) != 20 {
					t.Errorf("partial=%v users=%d roles=%d, want partial data kept", st.Partial, len(snap.Users), len(snap.Roles))
				}
			}
			// One request per stream: AccessDenied is not retried.
			want := 1
			if tc.action == "GetAccountAuthorizationDetails" {
				want = len(authStreams)
			}
			if got := srv.Count(tc.action); got != want {
				t.Errorf("server saw %d %s requests, want %d", got, tc.action, want)
			}
		})
	}
}

func TestThrottlingThenSuccess(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 5)
	srv := startServer(t, acct)
	srv.Throttle("GetAccountAuthorizationDetails", 3)
	srv.Throttle("GetAccountSummary", 2)
	srv.Throttle("GetCallerIdentity", 1)
	opts := fastOptions()
	opts.standardRetry = true
	snap := mustCollect(t, opts)
	requireOK(t, snap, allSources()...)
	if len(snap.Users) != 5 || len(snap.AccountSummary) == 0 {
		t.Errorf("throttled sources lost data: %d users, summary %v", len(snap.Users), snap.AccountSummary)
	}
	if got, want := srv.Count("GetAccountAuthorizationDetails"), len(authStreams)+3; got != want {
		t.Errorf("server saw %d GetAccountAuthorizationDetails requests, want %d (5 streams + 3 retries)", got, want)
	}
	// Retries are not requests of the source.
	if got := snap.Sources[snapshot.SourceAccountSummary].Requests; got != 1 {
		t.Errorf("account_summary recorded %d requests, want 1", got)
	}
}

func TestThrottledToExhaustion(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 5)
	srv := startServer(t, acct)
	srv.Fail("GetAccountSummary", "Throttling", "Rate exceeded", 0)
	opts := fastOptions()
	opts.MaxAttempts = 3
	opts.standardRetry = true
	snap := mustCollect(t, opts)
	requireError(t, snap, snapshot.SourceAccountSummary, "Throttling", "GetAccountSummary", "Rate exceeded")
	if got := srv.Count("GetAccountSummary"); got != 3 {
		t.Errorf("server saw %d attempts, want 3", got)
	}
	requireOK(t, snap, snapshot.SourceAuthorizationDetails, snapshot.SourceCredentialReport)
}

// TestThrottlingAdaptive runs the production retryer (adaptive mode, which
// also rate-limits the client after a throttle) through one throttle.
func TestThrottlingAdaptive(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 5)
	srv := startServer(t, acct)
	srv.Throttle("GetAccountSummary", 1)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, allSources()...)
	if srv.Count("GetAccountSummary") != 2 || snap.Sources[snapshot.SourceAccountSummary].Requests != 1 {
		t.Errorf("server saw %d GetAccountSummary, source recorded %d requests; want 2 and 1",
			srv.Count("GetAccountSummary"), snap.Sources[snapshot.SourceAccountSummary].Requests)
	}
}

func TestCredentialReportGenerating(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	srv := startServer(t, acct)
	srv.ReportGenerating(3)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, snapshot.SourceCredentialReport)
	if got := srv.Count("GenerateCredentialReport"); got != 4 {
		t.Errorf("GenerateCredentialReport called %d times, want 4 (STARTED, INPROGRESS x2, COMPLETE)", got)
	}
	if got := snap.Sources[snapshot.SourceCredentialReport].Requests; got != 5 {
		t.Errorf("credential_report recorded %d requests, want 5", got)
	}
	if snap.CredentialReport == nil || len(snap.CredentialReport.Rows) != 4 {
		t.Errorf("credential report = %+v", snap.CredentialReport)
	}
}

func TestCredentialReportTimeout(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	srv := startServer(t, acct)
	srv.ReportGenerating(1 << 30)
	opts := fastOptions()
	opts.CredentialReportTimeout = 200 * time.Millisecond
	opts.CredentialReportPoll = 20 * time.Millisecond
	snap := mustCollect(t, opts)
	requireError(t, snap, snapshot.SourceCredentialReport, "CredentialReportTimeout", "200ms")
	// The poll count, not the wall time, shows the timeout was honoured:
	// the server would answer "in progress" forever.
	if n := srv.Count("GenerateCredentialReport"); n < 2 || n > 8 {
		t.Errorf("polled %d times; backoff should give a handful of polls in 200ms", n)
	}
	if snap.CredentialReport != nil {
		t.Errorf("a report was recorded although none completed")
	}
	requireOK(t, snap, snapshot.SourceAuthorizationDetails)
}

func TestNoPasswordPolicy(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	acct.PasswordPolicy = nil
	startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, snapshot.SourcePasswordPolicy)
	if snap.PasswordPolicy != nil {
		t.Errorf("password policy = %+v, want nil", snap.PasswordPolicy)
	}
	if n := snap.Sources[snapshot.SourcePasswordPolicy].Note; !strings.Contains(n, "no password policy") {
		t.Errorf("note = %q", n)
	}
}

func TestMalformedCredentialReport(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	good := acct.BuildCredentialReport()
	lines := strings.SplitAfter(string(good), "\n")
	// Line 3 (the first user) loses a field.
	lines[2] = strings.Replace(lines[2], ",false,N/A\n", "\n", 1)
	acct.CredentialReport = []byte(strings.Join(lines, ""))
	startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	st := requireError(t, snap, snapshot.SourceCredentialReport, "MalformedCredentialReport", "line 3", "wrong number of fields")
	if !st.Partial || snap.CredentialReport == nil || len(snap.CredentialReport.Rows) != 1 {
		t.Errorf("want the root row before the bad line kept: partial=%v report=%+v", st.Partial, snap.CredentialReport)
	}
	requireOK(t, snap, snapshot.SourceCallerIdentity, snapshot.SourceAccountSummary, snapshot.SourcePasswordPolicy,
		snapshot.SourceAccountAliases, snapshot.SourceVirtualMFADevices, snapshot.SourceAuthorizationDetails)
	if len(snap.Users) != 3 {
		t.Errorf("users lost: %d", len(snap.Users))
	}
}

func TestTruncatedPages(t *testing.T) {
	for _, tc := range []struct {
		fault iamtest.PageFault
		code  string
	}{
		{iamtest.PageNoMarker, "TruncatedPage"},
		{iamtest.PageBadMarker, "ValidationError"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			acct := iamtest.GenerateAccount(testAccountID, 1500)
			srv := startServer(t, acct)
			srv.BreakPages("GetAccountAuthorizationDetails", tc.fault)
			snap := mustCollect(t, fastOptions())
			st := requireError(t, snap, snapshot.SourceAuthorizationDetails, tc.code, "GetAccountAuthorizationDetails")
			if !st.Partial {
				t.Errorf("partial data not flagged")
			}
			// The first page of users and the untruncated streams are kept.
			if len(snap.Users) != 1000 || len(snap.Roles) != 20 || len(snap.Groups) != 10 {
				t.Errorf("kept users=%d roles=%d groups=%d, want 1000/20/10", len(snap.Users), len(snap.Roles), len(snap.Groups))
			}
			requireOK(t, snap, snapshot.SourceVirtualMFADevices, snapshot.SourceCredentialReport)
		})
	}
}

func TestPolicyDocumentsDecoded(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	acct.Users[1].InlinePolicies = []snapshot.InlinePolicy{
		{Name: "broken", Document: iamtest.Doc(`{"Version":"2012-10-17","Statement":[`)},
		{Name: "fine", Document: iamtest.Doc(`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"A+B C%"}}},"Version":"2012-10-17"}`)},
	}
	acct.Roles[2].AssumeRolePolicyDocument = iamtest.Doc(`"not an object"`)
	acct.Policies[4].Versions[0].Document = iamtest.Doc(`{"Version":`)
	startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	// Streams are merged users, groups, roles, policies: the user's error comes first.
	st := requireError(t, snap, snapshot.SourceAuthorizationDetails, "MalformedPolicyDocument", `user "user00001"`, `inline policy "broken"`, "not valid JSON", "and 2 more problem(s)")
	if !st.Partial {
		t.Errorf("partial not set")
	}
	if r := snap.Roles[2]; r.Name != "Role02" || r.AssumeRolePolicyDocument != nil || len(r.AttachedPolicies) != 1 {
		t.Errorf("role with a non-object trust policy: %+v", r)
	}
	for _, p := range snap.Policies {
		if p.Name == acct.Policies[4].Name && (len(p.Versions) != 1 || p.Versions[0].VersionID != "v2") {
			t.Errorf("policy with a broken v1: versions %+v, want v2 only", p.Versions)
		}
	}
	if len(snap.Users) != 3 || len(snap.Policies) == 0 || len(snap.Roles) != 20 {
		t.Fatalf("entities lost: users=%d policies=%d roles=%d", len(snap.Users), len(snap.Policies), len(snap.Roles))
	}
	u := snap.Users[1]
	if u.Name != "user00001" || len(u.InlinePolicies) != 1 || u.InlinePolicies[0].Name != "fine" {
		t.Fatalf("user = %+v, want the broken policy left out and the good one kept", u)
	}
	if got, want := string(u.InlinePolicies[0].Document), `{"Statement":{"Action":"*","Condition":{"StringLike":{"aws:userid":"A+B C%"}},"Effect":"Deny","Resource":"*"},"Version":"2012-10-17"}`; got != want {
		t.Errorf("document = %s\nwant       %s", got, want)
	}
	for _, p := range snap.Policies {
		if p.Name == "Policy03" {
			if d := string(p.DefaultDocument()); !strings.Contains(d, `arn:aws:s3:::bucket+3/a b/*`) {
				t.Errorf("plus or space mangled: %s", d)
			}
			if len(p.Versions) != 2 || p.Versions[0].VersionID != "v1" {
				t.Errorf("versions = %+v", p.Versions)
			}
		}
	}
}

// TestReplaySnapshot: serving a collected snapshot and collecting it again
// gives the same snapshot, byte for byte.
func TestReplaySnapshot(t *testing.T) {
	startServer(t, iamtest.GenerateAccount(testAccountID, 30))
	opts := fastOptions()
	opts.SkipAWSConfig = true // local files, not served by the account
	first := mustCollect(t, opts)
	firstJSON, err := snapshot.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	startServer(t, iamtest.FromSnapshot(first))
	second, err := snapshot.Marshal(mustCollect(t, opts))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(firstJSON, second) {
		a, b := strings.Split(string(firstJSON), "\n"), strings.Split(string(second), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("replayed snapshot differs at line %d:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("replayed snapshot differs (%d vs %d lines)", len(a), len(b))
	}
}

func TestDeterministic(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 40)
	startServer(t, acct)
	first, err := snapshot.Marshal(mustCollect(t, fastOptions()))
	if err != nil {
		t.Fatal(err)
	}
	// AWS gives no order guarantee: shuffle the model between runs.
	rng := rand.New(rand.NewSource(1))
	rng.Shuffle(len(acct.Users), func(i, j int) { acct.Users[i], acct.Users[j] = acct.Users[j], acct.Users[i] })
	rng.Shuffle(len(acct.Roles), func(i, j int) { acct.Roles[i], acct.Roles[j] = acct.Roles[j], acct.Roles[i] })
	rng.Shuffle(len(acct.Policies), func(i, j int) { acct.Policies[i], acct.Policies[j] = acct.Policies[j], acct.Policies[i] })
	rng.Shuffle(len(acct.MFADevices), func(i, j int) { acct.MFADevices[i], acct.MFADevices[j] = acct.MFADevices[j], acct.MFADevices[i] })
	for i := range acct.Users {
		g := acct.Users[i].Tags
		rng.Shuffle(len(g), func(a, b int) { g[a], g[b] = g[b], g[a] })
	}
	for i := range acct.Policies {
		v := acct.Policies[i].Versions
		rng.Shuffle(len(v), func(a, b int) { v[a], v[b] = v[b], v[a] })
	}
	c := acct.ServerCertificates
	rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	rng.Shuffle(len(acct.Regions), func(i, j int) { acct.Regions[i], acct.Regions[j] = acct.Regions[j], acct.Regions[i] })
	for _, in := range acct.EC2Instances {
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
	}
	for _, an := range acct.AccessAnalyzers {
		rng.Shuffle(len(an), func(i, j int) { an[i], an[j] = an[j], an[i] })
	}
	second, err := snapshot.Marshal(mustCollect(t, fastOptions()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		a, b := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("two collections of the same account differ at line %d:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Errorf("two collections of the same account differ (%d vs %d lines)", len(a), len(b))
	}
}

// TestRequestsGrowWithPages: the request count depends on pages (1000
// entities each), not on the number of entities.
func TestRequestsGrowWithPages(t *testing.T) {
	total := func(users int) (int, map[string]int) {
		acct := iamtest.GenerateAccount(testAccountID, users)
		srv := startServer(t, acct)
		snap := mustCollect(t, fastOptions())
		requireOK(t, snap, allSources()...)
		if len(snap.Users) != users {
			t.Fatalf("collected %d users, want %d", len(snap.Users), users)
		}
		n := 0
		for _, st := range snap.Sources {
			n += st.Requests
		}
		// Sources count API calls; the server also sees the SDK's
		// retries of a call whose connection broke (seen on a loaded
		// machine), so it may see a few more, never fewer.
		if seen := srv.Total(); seen < n || seen > n+3 {
			t.Errorf("sources recorded %d requests, server saw %d", n, seen)
		}
		return n, srv.Counts()
	}
	small, smallCounts := total(10)
	start := time.Now()
	large, largeCounts := total(5000)
	t.Logf("5000-user collection against the loopback server took %v", time.Since(start))
	t.Logf("API requests: 10 users -> %d %v", small, smallCounts)
	t.Logf("API requests: 5000 users -> %d %v", large, largeCounts)
	// 10 users: 1 STS + 2 report + summary + policy + aliases + MFA + 5
	// streams + ListRoles = 13 IAM and STS requests; server certificates,
	// Organizations features, the security contact and the regions 4
	// more; organizations:DescribeOrganization (the account is in no
	// organization) one; and one ListAnalyzers, one DescribeInstances and
	// one ListFunctions in each of the 17 regions: 13 + 4 + 1 + 51 = 69.
	if small != 69 {
		t.Errorf("10 users: %d requests, want 69", small)
	}
	// 5000 users: the User stream takes 5 pages and the 2501 MFA devices 3:
	// 4 + 2 more requests, not thousands.
	if large != small+6 {
		t.Errorf("5000 users: %d requests, want %d", large, small+6)
	}
}

// TestSourcesRunConcurrently: with 100ms per request the server sees
// several requests at once when sources and streams run concurrently. (The
// wall time is logged, not asserted: a loaded machine must not fail it.)
func TestSourcesRunConcurrently(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 10))
	srv.SetLatency(100 * time.Millisecond)
	start := time.Now()
	snap := mustCollect(t, fastOptions())
	took := time.Since(start)
	requireOK(t, snap, allSources()...)
	t.Logf("%d requests at 100ms each took %v; at most %d at once", srv.Total(), took, srv.MaxInFlight())
	if srv.MaxInFlight() < 3 {
		t.Errorf("at most %d requests in flight; sources or streams are not running concurrently", srv.MaxInFlight())
	}
}

func TestContextDeadline(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 3))
	srv.SetLatency(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	snap, err := Collect(ctx, fastOptions())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
	// The deadline falls during GetCallerIdentity, or on a slow machine
	// while the configuration loads; either way the error says where.
	var ie *IdentityError
	if errors.As(err, &ie) {
		if ie.Code != "Timeout" || !strings.Contains(err.Error(), "GetCallerIdentity") {
			t.Errorf("err = %v, want an *IdentityError naming GetCallerIdentity and the timeout", err)
		}
	} else if !strings.Contains(err.Error(), "loading the AWS configuration") {
		t.Errorf("err = %v, want it to say what was stopped", err)
	}
	// Had the deadline been ignored, collection would have gone on past
	// the caller identity (each request takes 300 ms here); counting
	// requests proves it stopped without timing the test.
	if n := srv.Total() - srv.Count("GetCallerIdentity"); n != 0 {
		t.Errorf("Collect ignored the deadline: %d requests after the caller identity (%v)", n, srv.Counts())
	}
	if snap != nil {
		t.Errorf("a snapshot without a caller identity was returned: %+v", snap.Account)
	}
}

func TestCredentialsRejected(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	srv := startServer(t, acct)
	srv.Fail("GetCallerIdentity", "InvalidClientTokenId", "The security token included in the request is invalid.", 0)
	snap, err := Collect(context.Background(), fastOptions())
	var ce *CredentialsError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *CredentialsError", err)
	}
	if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "InvalidClientTokenId") {
		t.Errorf("error not one line naming the code: %q", err)
	}
	if snap != nil {
		t.Errorf("a snapshot without a caller identity was returned: %+v", snap.Account)
	}
	if srv.Count("GetAccountAuthorizationDetails") != 0 {
		t.Errorf("collection went on with rejected credentials")
	}
}

func TestNoCredentials(t *testing.T) {
	srv := startServer(t, iamtest.NewAccount(testAccountID))
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := Collect(ctx, fastOptions())
	var ce *CredentialsError
	if !errors.As(err, &ce) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %q, want a one-line *CredentialsError", err)
	}
	if srv.Total() != 0 {
		t.Errorf("requests were sent without credentials: %v", srv.Counts())
	}

	_, err = Collect(ctx, Options{Profile: "does-not-exist"})
	if !errors.As(err, &ce) || ce.Profile != "does-not-exist" || !strings.Contains(err.Error(), `profile "does-not-exist"`) {
		t.Errorf("missing profile: err = %v", err)
	}
}

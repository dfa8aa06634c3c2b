package collect

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The files in testdata/wire are IAM and STS responses recorded from an
// independent emulator holding the guide's account (see
// /work/shared/wire/README.md). testdata/ListRoles.xml was written for
// these tests in the shape of the ListRoles API reference: there is no
// recording of it.

// replayServer answers each action with its recorded body.
func replayServer(t *testing.T, noPasswordPolicy bool) (*httptest.Server, map[string]int) {
	t.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var mu sync.Mutex
	counts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("bad request: %v", err)
			return
		}
		action := r.Form.Get("Action")
		mu.Lock()
		counts[action]++
		n := counts[action]
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		var body string
		switch action {
		case "GetCallerIdentity":
			body = read("wire/sts-GetCallerIdentity.xml")
		case "GenerateCredentialReport":
			body = read("wire/GenerateCredentialReport.xml")
			if n > 1 { // the recording is the first call: STARTED
				body = strings.Replace(body, "<State>STARTED</State>", "<State>COMPLETE</State>", 1)
			}
		case "GetAccountPasswordPolicy":
			if noPasswordPolicy {
				w.WriteHeader(http.StatusNotFound)
				body = read("wire/Error-NoSuchEntity.xml")
			} else {
				body = read("wire/GetAccountPasswordPolicy.xml")
			}
		case "GetAccountAuthorizationDetails":
			switch r.Form.Get("Marker") {
			case "":
				body = read("wire/GetAccountAuthorizationDetails-page1.xml")
			case "aGFybmVzcy1nYWFkOjU=":
				body = read("wire/GetAccountAuthorizationDetails-page2.xml")
			default:
				t.Errorf("unexpected marker %q", r.Form.Get("Marker"))
			}
		case "ListRoles":
			body = read("ListRoles.xml")
		case "GetCredentialReport", "GetAccountSummary", "ListAccountAliases", "ListVirtualMFADevices":
			body = read("wire/" + action + ".xml")
		case "ListServerCertificates", "ListOrganizationsFeatures", "DescribeRegions", "DescribeInstances", "":
			// Not recorded (nor are the REST-JSON services, whose
			// requests carry no Action): those sources fail, the
			// recorded ones are judged.
			w.WriteHeader(http.StatusBadRequest)
			body = `<ErrorResponse><Error><Type>Sender</Type><Code>NotRecorded</Code><Message>no recording</Message></Error></ErrorResponse>`
		default:
			t.Errorf("unexpected action %q", action)
			w.WriteHeader(http.StatusBadRequest)
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, counts
}

func collectReplay(t *testing.T, noPasswordPolicy bool) (*snapshot.Snapshot, map[string]int) {
	t.Helper()
	srv, counts := replayServer(t, noPasswordPolicy)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            srv.URL,
		"AWS_ACCESS_KEY_ID":           "AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY":       "dummy-secret",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_PROFILE":                 "",
	} {
		t.Setenv(k, v)
	}
	snap := mustCollect(t, fastOptions())
	return snap, counts
}

func TestRecordedGuideAccount(t *testing.T) {
	snap, counts := collectReplay(t, false)
	requireOK(t, snap, allSources()...)

	if snap.Account.ID != "123456789012" || snap.Account.Partition != "aws" || len(snap.Account.Aliases) != 0 {
		t.Errorf("account = %+v", snap.Account)
	}
	if snap.Caller == nil || snap.Caller.ARN != "arn:aws:sts::123456789012:user/moto" || snap.Caller.UserID != "AKIAIOSFODNN7EXAMPLE" {
		t.Errorf("caller = %+v", snap.Caller)
	}

	// Users, groups, roles, policies across the two recorded pages.
	if len(snap.Users) != 1 || len(snap.Groups) != 2 || len(snap.Roles) != 1 || len(snap.Policies) != 3 {
		t.Fatalf("users=%d groups=%d roles=%d policies=%d, want 1/2/1/3", len(snap.Users), len(snap.Groups), len(snap.Roles), len(snap.Policies))
	}
	alice := snap.Users[0]
	if alice.Name != "alice" || alice.ARN != "arn:aws:iam::123456789012:user/alice" || strings.Join(alice.Groups, ",") != "Administrators,Users" {
		t.Errorf("alice = %+v", alice)
	}
	if want := time.Date(2026, 11, 27, 5, 13, 52, 167529000, time.UTC); !alice.CreateDate.Equal(want) {
		t.Errorf("alice created %v, want %v", alice.CreateDate, want)
	}
	g := snap.Groups[0]
	if g.Name != "Administrators" || len(g.AttachedPolicies) != 1 || g.AttachedPolicies[0].ARN != "arn:aws:iam::123456789012:policy/AdminPolicy" {
		t.Errorf("group = %+v", g)
	}
	role := snap.Roles[0]
	wantTrust := `{"Statement":[{"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}],"Version":"2012-10-17"}`
	if string(role.AssumeRolePolicyDocument) != wantTrust {
		t.Errorf("trust policy = %s\nwant %s", role.AssumeRolePolicyDocument, wantTrust)
	}
	if role.MaxSessionDuration == nil || *role.MaxSessionDuration != 3600 || role.Description != "Administrator access, assumed with MFA" {
		t.Errorf("role ListRoles fields = %v %q", role.MaxSessionDuration, role.Description)
	}
	if role.RoleLastUsed != nil || len(role.InstanceProfiles) != 0 {
		t.Errorf("empty RoleLastUsed/InstanceProfileList decoded as %+v %v", role.RoleLastUsed, role.InstanceProfiles)
	}
	docs := map[string]string{}
	for _, p := range snap.Policies {
		if len(p.Versions) != 1 || !p.Versions[0].IsDefaultVersion {
			t.Errorf("policy %s versions = %+v", p.Name, p.Versions)
		}
		docs[p.Name] = string(p.DefaultDocument())
	}
	if want := `{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`; docs["AdminPolicy"] != want {
		t.Errorf("AdminPolicy = %s", docs["AdminPolicy"])
	}
	for _, part := range []string{`"NotAction":"iam:*"`, `"Null":{"aws:MultiFactorAuthAge":"true"}`, `"arn:aws:iam::*:user/${aws:username}"`} {
		if !strings.Contains(docs["IAMRequireMFA"], part) {
			t.Errorf("IAMRequireMFA lacks %s: %s", part, docs["IAMRequireMFA"])
		}
	}
	if !strings.Contains(docs["AssumeAdminRole"], `"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}`) {
		t.Errorf("AssumeAdminRole = %s", docs["AssumeAdminRole"])
	}

	pp := snap.PasswordPolicy
	if pp == nil || pp.MinimumPasswordLength == nil || *pp.MinimumPasswordLength != 14 || pp.MaxPasswordAge == nil || *pp.MaxPasswordAge != 90 ||
		pp.PasswordReusePrevention == nil || *pp.PasswordReusePrevention != 24 || pp.HardExpiry == nil || *pp.HardExpiry || !pp.RequireSymbols || !pp.ExpirePasswords {
		t.Errorf("password policy = %+v", pp)
	}
	if len(snap.AccountSummary) != 33 || snap.AccountSummary["AccountMFAEnabled"] != 1 || snap.AccountSummary["UsersQuota"] != 5000 {
		t.Errorf("summary (%d keys) = %v", len(snap.AccountSummary), snap.AccountSummary)
	}
	if len(snap.VirtualMFADevices) != 1 || snap.VirtualMFADevices[0].UserName != "alice" || snap.VirtualMFADevices[0].EnableDate == nil {
		t.Errorf("MFA devices = %+v", snap.VirtualMFADevices)
	}
	cr := snap.CredentialReport
	if cr == nil || len(cr.Rows) != 2 || len(cr.Columns) != 22 || cr.Rows[0]["arn"] != "arn:aws:iam::123456789012:root" ||
		cr.Rows[1]["mfa_active"] != "true" || cr.Rows[1]["access_key_1_last_used_service"] != "sts" {
		t.Fatalf("credential report = %+v", cr)
	}
	if want := time.Date(2026, 11, 27, 5, 13, 56, 0, time.UTC); !cr.GeneratedTime.Equal(want) {
		t.Errorf("generated %v, want %v", cr.GeneratedTime, want)
	}
	// Five filtered streams of two pages each, plus ListRoles.
	if got := snap.Sources[snapshot.SourceAuthorizationDetails].Requests; got != 11 || counts["GetAccountAuthorizationDetails"] != 10 {
		t.Errorf("authorization_details: %d requests recorded, %d served", got, counts["GetAccountAuthorizationDetails"])
	}
	if counts["GenerateCredentialReport"] != 2 {
		t.Errorf("GenerateCredentialReport called %d times, want 2 (STARTED, COMPLETE)", counts["GenerateCredentialReport"])
	}
}

func TestRecordedNoSuchEntityPasswordPolicy(t *testing.T) {
	snap, _ := collectReplay(t, true)
	requireOK(t, snap, allSources()...)
	if snap.PasswordPolicy != nil {
		t.Errorf("password policy = %+v, want none", snap.PasswordPolicy)
	}
	if snap.Account.Partition != "aws" {
		// Region unset in the environment: the default region was used.
		t.Errorf("partition = %q", snap.Account.Partition)
	}
}

package collect

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// shortOptions make timeouts and retries short, so a fault ends quickly.
func shortOptions() Options {
	o := fastOptions()
	o.RequestTimeout = 100 * time.Millisecond
	o.MaxAttempts = 2
	o.standardRetry = true
	return o
}

// collectCtx runs Collect with a generous safety net: a hang fails the
// test instead of blocking the suite.
func collectCtx(t *testing.T, opts Options) (*snapshot.Snapshot, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	snap, err := Collect(ctx, opts)
	if ctx.Err() != nil {
		t.Fatalf("Collect ran into the test's safety deadline: its own timeouts did not end it (err %v)", err)
	}
	return snap, err
}

func TestIdentityRequired(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, srv *iamtest.Server, acct *iamtest.Account)
		code  string
		parts []string
	}{
		{"unreachable endpoint", func(t *testing.T, srv *iamtest.Server, _ *iamtest.Account) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			l.Close()
			t.Setenv("AWS_ENDPOINT_URL", "http://"+addr)
		}, "RequestFailed", []string{"GetCallerIdentity", "connect"}},
		{"500 past the retries", func(t *testing.T, srv *iamtest.Server, _ *iamtest.Account) {
			srv.Fail("GetCallerIdentity", "ServiceFailure", "internal failure", 0)
		}, "ServiceFailure", []string{"internal failure"}},
		{"access denied", func(t *testing.T, srv *iamtest.Server, _ *iamtest.Account) {
			srv.Fail("GetCallerIdentity", "AccessDenied", "explicit deny in a service control policy", 0)
		}, "AccessDenied", []string{"service control policy"}},
		{"never answers", func(t *testing.T, srv *iamtest.Server, _ *iamtest.Account) {
			srv.SetStall("GetCallerIdentity", iamtest.StallNoAnswer)
		}, "RequestTimeout", []string{"request timeout", "2 attempts, 2 timed out"}},
		{"stalled body", func(t *testing.T, srv *iamtest.Server, _ *iamtest.Account) {
			srv.SetStall("GetCallerIdentity", iamtest.StallBody)
		}, "RequestTimeout", []string{"request timeout"}},
		{"short account ID", func(t *testing.T, _ *iamtest.Server, acct *iamtest.Account) {
			acct.ID = "12345"
		}, "MalformedAccountID", []string{`"12345"`, "12-digit"}},
		{"empty account ID", func(t *testing.T, _ *iamtest.Server, acct *iamtest.Account) {
			acct.ID = ""
		}, "MalformedAccountID", []string{`""`}},
		{"letters in the account ID", func(t *testing.T, _ *iamtest.Server, acct *iamtest.Account) {
			acct.ID = "11112222333a"
		}, "MalformedAccountID", nil},
		{"caller ARN not an ARN", func(t *testing.T, _ *iamtest.Server, acct *iamtest.Account) {
			acct.CallerARN = "auditor"
		}, "MalformedCallerARN", []string{`"auditor"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			acct := iamtest.GenerateAccount(testAccountID, 3)
			srv := startServer(t, acct)
			tc.setup(t, srv, acct)
			snap, err := collectCtx(t, shortOptions())
			var ie *IdentityError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *IdentityError", err)
			}
			if snap != nil {
				t.Errorf("a snapshot was returned without a caller identity: account %+v", snap.Account)
			}
			msg := err.Error()
			if ie.Code != tc.code || !strings.Contains(msg, "sts:GetCallerIdentity") || !strings.Contains(msg, tc.code) || strings.Contains(msg, "\n") {
				t.Errorf("err = %q (code %s), want one line naming sts:GetCallerIdentity and %s", msg, ie.Code, tc.code)
			}
			for _, p := range tc.parts {
				if !strings.Contains(msg, p) {
					t.Errorf("err = %q does not mention %q", msg, p)
				}
			}
			if n := srv.Count("GetAccountAuthorizationDetails") + srv.Count("GetAccountSummary"); n != 0 {
				t.Errorf("collection went on without an identity: %v", srv.Counts())
			}
		})
	}
}

func TestPartialFailureKeepsWhatWasGot(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 4)
	srv := startServer(t, acct)
	srv.DenyAccess("GetAccountAuthorizationDetails")
	srv.Fail("GetAccountSummary", "ServiceFailure", "internal failure", 0)
	// Short retries, but no 100ms attempt bound: 34 regional requests
	// beside the IAM streams may take longer on a loaded (or -race) run.
	opts := shortOptions()
	opts.RequestTimeout = DefaultRequestTimeout
	snap, err := collectCtx(t, opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if got := snap.FailedSources(); strings.Join(got, ",") != "account_summary,authorization_details" {
		t.Errorf("FailedSources() = %v", got)
	}
	for src, action := range map[string]string{
		snapshot.SourceAuthorizationDetails: "iam:GetAccountAuthorizationDetails",
		snapshot.SourceAccountSummary:       "iam:GetAccountSummary",
	} {
		if e := snap.Sources[src].Error; e == nil || e.Action != action {
			t.Errorf("%s error %+v, want action %s", src, e, action)
		}
	}
	if snap.Account.ID != testAccountID || snap.CredentialReport == nil || len(snap.VirtualMFADevices) == 0 {
		t.Errorf("the sources that worked lost their data")
	}
}

func TestActionRecordedForLocalFindings(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	acct.Users[0].InlinePolicies = []snapshot.InlinePolicy{{Name: "broken", Document: iamtest.Doc(`{"Statement":[`)}}
	startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	st := requireError(t, snap, snapshot.SourceAuthorizationDetails, "MalformedPolicyDocument")
	if st.Error.Action != "iam:GetAccountAuthorizationDetails" {
		t.Errorf("action = %q", st.Error.Action)
	}
}

func TestSourceStalls(t *testing.T) {
	for _, tc := range []struct {
		action, source string
		stall          iamtest.Stall
	}{
		{"GetAccountSummary", snapshot.SourceAccountSummary, iamtest.StallNoAnswer},
		{"GetAccountAuthorizationDetails", snapshot.SourceAuthorizationDetails, iamtest.StallBody},
		{"ListVirtualMFADevices", snapshot.SourceVirtualMFADevices, iamtest.StallNoAnswer},
		{"GetCredentialReport", snapshot.SourceCredentialReport, iamtest.StallBody},
	} {
		t.Run(tc.action, func(t *testing.T) {
			srv := startServer(t, iamtest.GenerateAccount(testAccountID, 3))
			srv.SetStall(tc.action, tc.stall)
			snap, err := collectCtx(t, shortOptions())
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			st := requireError(t, snap, tc.source, "RequestTimeout", tc.action, "100ms", "2 attempts")
			if st.Error.Action != "iam:"+tc.action {
				t.Errorf("action = %q", st.Error.Action)
			}
			if got := srv.Count(tc.action); got < 2 {
				t.Errorf("%s attempted %d times; a timed-out attempt is retried", tc.action, got)
			}
			if snap.Account.ID != testAccountID {
				t.Errorf("account lost")
			}
		})
	}
}

// TestOverallTimeout: a source that outlives Options.Timeout is cut off and
// recorded; the rest of the snapshot is returned.
func TestOverallTimeout(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 3))
	srv.SetStall("GetAccountAuthorizationDetails", iamtest.StallNoAnswer)
	opts := fastOptions()
	opts.RequestTimeout = time.Hour
	opts.Timeout = 500 * time.Millisecond
	snap, err := collectCtx(t, opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	st := requireError(t, snap, snapshot.SourceAuthorizationDetails, "Timeout", "collection timeout (500ms)")
	if st.Error.Action != "iam:GetAccountAuthorizationDetails" {
		t.Errorf("action = %q", st.Error.Action)
	}
	requireOK(t, snap, snapshot.SourceCallerIdentity, snapshot.SourceAccountSummary)
}

func TestEndlessPagination(t *testing.T) {
	for _, tc := range []struct {
		action, source, basis string
		maxRequests           int
	}{
		// 5 users: at most 2*5+1000 items, (1010)/10+2 = 103 pages; the
		// other streams (10 groups, 20 roles, 10 policies) about as many,
		// the AWS managed policies (fixed 5000) 11000/10+2 = 1102.
		{"GetAccountAuthorizationDetails", snapshot.SourceAuthorizationDetails, "Users=5", 103 + 103 + 106 + 103 + 1102},
		{"ListVirtualMFADevices", snapshot.SourceVirtualMFADevices, "MFADevices=4, Users=5", 103},
		{"ListAccountAliases", snapshot.SourceAccountAliases, "fixed bound of 1 items", 102},
		{"ListRoles", snapshot.SourceAuthorizationDetails, "Roles=20", 106},
	} {
		t.Run(tc.action, func(t *testing.T) {
			srv := startServer(t, iamtest.GenerateAccount(testAccountID, 5))
			srv.BreakPages(tc.action, iamtest.PageEndless)
			snap, err := collectCtx(t, fastOptions())
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			st := requireError(t, snap, tc.source, "PaginationLimit", tc.action, tc.basis, "does not end")
			if st.Error.Action != "iam:"+tc.action {
				t.Errorf("action = %q", st.Error.Action)
			}
			if got := srv.Count(tc.action); got > tc.maxRequests {
				t.Errorf("%d %s requests, bound %d", got, tc.action, tc.maxRequests)
			}
		})
	}
}

func TestPageBounds(t *testing.T) {
	c := &collector{}
	if b := c.bound(noSummaryCount, "Users"); b.maxItems != 2*noSummaryCount+authPageSize || !strings.Contains(b.basis, "no account summary") {
		t.Errorf("without a summary: %+v", b)
	}
	c.summary = map[string]int64{"Users": 4000, "Roles": 0}
	b := c.bound(noSummaryCount, "Users")
	if b.maxItems != 9000 || b.maxPages != 902 || !strings.Contains(b.basis, "Users=4000") {
		t.Errorf("4000 users: %+v", b)
	}
	// A listing of the summary's size in full pages, or in pages a tenth
	// full, fits.
	if b.maxPages < 4 || b.maxPages < 4000/100 {
		t.Errorf("bound too tight: %+v", b)
	}
	if b := c.bound(noSummaryCount, "Groups"); !strings.Contains(b.basis, "no Groups in the account summary") {
		t.Errorf("missing key: %+v", b)
	}
	if b := c.bound(noSummaryCount, "Roles"); b.maxItems != authPageSize || b.maxPages != authPageSize/minPageFill+2 {
		t.Errorf("no roles: %+v", b)
	}
}

// TestEndlessPaginationWithoutSummary: when the account summary failed,
// the listings are bounded by the fixed bound and say so.
func TestEndlessPaginationWithoutSummary(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 5))
	srv.DenyAccess("GetAccountSummary")
	srv.BreakPages("ListVirtualMFADevices", iamtest.PageEndless)
	srv.BreakPages("ListAccountAliases", iamtest.PageEndless)
	snap, err := collectCtx(t, fastOptions())
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	requireError(t, snap, snapshot.SourceVirtualMFADevices, "PaginationLimit", "no account summary, so a fixed bound of 20000 items")
	// An account has one alias at most, summary or not.
	requireError(t, snap, snapshot.SourceAccountAliases, "PaginationLimit", "fixed bound of 1 items")
	requireOK(t, snap, snapshot.SourceAuthorizationDetails)
}

// TestLargeAccountWithinBounds: bounds from the summary do not cut a
// legitimate listing of many pages.
func TestLargeAccountWithinBounds(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2500)
	startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, allSources()...)
	if len(snap.Users) != 2500 {
		t.Errorf("%d users", len(snap.Users))
	}
}

func TestAWSConfigDirMissing(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	opts := fastOptions()
	opts.AWSConfigDir = filepath.Join(t.TempDir(), "nope")
	snap, err := collectCtx(t, opts)
	var de *AWSConfigDirError
	if !errors.As(err, &de) || !errors.Is(err, fs.ErrNotExist) || de.Dir != opts.AWSConfigDir || snap != nil {
		t.Fatalf("err = %v, want an *AWSConfigDirError wrapping fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), "does not exist") || srv.Total() != 0 {
		t.Errorf("err = %q, requests %v", err, srv.Counts())
	}
	file := filepath.Join(t.TempDir(), "file")
	write(t, file, "x", 0o600)
	opts.AWSConfigDir = file
	if _, err := collectCtx(t, opts); !errors.As(err, &de) || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a file as the directory: err = %v", err)
	}
}

// TestAWSConfigFilesAsTheSDKReadsThem: with no directory named, aws_config
// records the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name,
// and the root key the collection authenticated with is marked as root's.
func TestAWSConfigFilesAsTheSDKReadsThem(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2)
	acct.CallerARN = "arn:aws:iam::" + testAccountID + ":root"
	startServer(t, acct)
	dir := t.TempDir()
	cfgPath, credPath := filepath.Join(dir, "cfg", "my-config"), filepath.Join(dir, "creds", "my-credentials")
	write(t, cfgPath, "[profile other]\nrole_arn = arn:aws:iam::"+testAccountID+":role/x\nsource_profile = default\n", 0o600)
	write(t, credPath, "[default]\naws_access_key_id = AKIAROOTKEY000000001\naws_secret_access_key = "+leakSecret+"\n", 0o600)
	t.Setenv("AWS_CONFIG_FILE", cfgPath)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credPath)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, snapshot.SourceAWSConfig)
	c := snap.AWSConfig
	if c == nil || c.ConfigFile != cfgPath || c.CredentialsFile != credPath || c.Explicit || !c.ConfigFileFound || !c.CredentialsFileFound || c.CredentialsFileMode != "0600" {
		t.Fatalf("aws_config = %+v", c)
	}
	def := profileByName(t, c, "default")
	if def.AccessKeyID != "AKIAROOTKEY000000001" || def.AccessKeyOwnerARN != acct.CallerARN {
		t.Errorf("default profile = %+v, want the root key marked as root's", def)
	}
	if o := profileByName(t, c, "other"); o.AccessKeyOwnerARN != "" {
		t.Errorf("profile other = %+v", o)
	}
}

// TestGetenvPassedIn: collect reads the environment through
// Options.Getenv, and the SDK authenticates from the credentials file it
// names (the process environment names a file that does not exist).
func TestGetenvPassedIn(t *testing.T) {
	startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	credPath := filepath.Join(dir, "credentials")
	write(t, credPath, "[default]\naws_access_key_id = AKIAGETENV0000000001\naws_secret_access_key = "+leakSecret+"\n", 0o600)
	env := map[string]string{
		"HOME":                        dir,
		"AWS_SHARED_CREDENTIALS_FILE": credPath,
		"AWS_ENDPOINT_URL":            os.Getenv("AWS_ENDPOINT_URL"),
	}
	opts := fastOptions()
	opts.Getenv = func(k string) string { return env[k] }
	snap := mustCollect(t, opts)
	c := snap.AWSConfig
	if c.CredentialsFile != credPath || c.ConfigFile != filepath.Join(dir, ".aws", "config") {
		t.Fatalf("files = %s, %s", c.ConfigFile, c.CredentialsFile)
	}
	if p := profileByName(t, c, "default"); p.AccessKeyOwnerARN != snap.Caller.ARN {
		t.Errorf("profile default = %+v, want its key marked as the caller's", p)
	}
}

func TestExplicitAWSConfigDir(t *testing.T) {
	startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	dir := writeAWSDir(t, "", "[default]\naws_access_key_id = "+leakKeyID+"\naws_secret_access_key = "+leakSecret+"\n", 0o600)
	opts := fastOptions()
	opts.AWSConfigDir = dir
	snap := mustCollect(t, opts)
	c := snap.AWSConfig
	if !c.Explicit || c.Dir != dir || c.CredentialsFile != filepath.Join(dir, "credentials") || c.ConfigFile != filepath.Join(dir, "config") || c.ConfigFileFound {
		t.Errorf("aws_config = %+v", c)
	}
	// The SDK signed with the environment's key, which is the same key.
	if p := profileByName(t, c, "default"); p.AccessKeyOwnerARN != snap.Caller.ARN {
		t.Errorf("default = %+v", p)
	}
	opts.SkipAWSConfig = true
	if snap := mustCollect(t, opts); snap.AWSConfig != nil || snap.Sources[snapshot.SourceAWSConfig].Status != "" {
		t.Errorf("SkipAWSConfig: %+v", snap.AWSConfig)
	}
}

func TestMarkKeyOwner(t *testing.T) {
	const caller = "arn:aws:iam::111122223333:user/alice"
	profiles := func() *snapshot.Snapshot {
		return &snapshot.Snapshot{
			Caller: &snapshot.Caller{ARN: caller},
			AWSConfig: &snapshot.AWSConfig{Profiles: []snapshot.AWSProfile{
				{Name: "default", AccessKeyID: "AKIADEFAULT"},
				{Name: "prod", AccessKeyID: "AKIAPROD"},
				{Name: "role", AccessKeyID: "AKIAROLE", RoleARN: "arn:aws:iam::111122223333:role/x"},
				{Name: "nokey"},
			}},
		}
	}
	owners := func(s *snapshot.Snapshot) string {
		var out []string
		for _, p := range s.AWSConfig.Profiles {
			if p.AccessKeyOwnerARN != "" {
				out = append(out, p.Name)
			}
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name, profile, envKey, usedKey, want string
	}{
		{"signed with the prod key", "default", "", "AKIAPROD", "prod"},
		{"signed key wins over the environment's", "default", "AKIADEFAULT", "AKIAPROD", "prod"},
		{"assumed-role credentials own no profile key", "role", "", "ASIATEMP", ""},
		{"environment key, signing key unknown", "default", "AKIAPROD", "", "prod"},
		{"profile in use, nothing else known", "prod", "", "", "prod"},
		{"a role profile's key is not the caller's", "role", "", "", ""},
		{"default profile", "default", "", "", "default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := profiles()
			markKeyOwner(s, tc.profile, tc.envKey, tc.usedKey)
			if got := owners(s); got != tc.want {
				t.Errorf("owners = %q, want %q", got, tc.want)
			}
		})
	}
	s := profiles()
	s.Caller = nil
	markKeyOwner(s, "default", "", "AKIADEFAULT")
	if owners(s) != "" {
		t.Error("marked without a caller")
	}
}

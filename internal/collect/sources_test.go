package collect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// newSources are the sources beyond IAM.
func newSources() []string {
	return []string{
		snapshot.SourceServerCertificates, snapshot.SourceRegions, snapshot.SourceAccessAnalyzers,
		snapshot.SourceSecurityContact, snapshot.SourceEC2Instances, snapshot.SourceOrganizationsFeatures,
		snapshot.SourceLambdaFunctions,
	}
}

func everySource() []string { return append(allSources(), newSources()...) }

// requireOthersOK checks that every source but those named is ok.
func requireOthersOK(t *testing.T, snap *snapshot.Snapshot, failed ...string) {
	t.Helper()
	skip := map[string]bool{}
	for _, f := range failed {
		skip[f] = true
	}
	var others []string
	for _, s := range everySource() {
		if !skip[s] {
			others = append(others, s)
		}
	}
	requireOK(t, snap, others...)
}

func enabledRegions(a *iamtest.Account) []string {
	var out []string
	for _, r := range a.Regions {
		if r.OptStatus == "ENABLED" || r.OptStatus == "ENABLED_BY_DEFAULT" {
			out = append(out, r.Name)
		}
	}
	sort.Strings(out)
	return out
}

func TestNewSourcesCollected(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 25)
	// An opt-in region the account enabled is read too; a disabled one is not.
	for i := range acct.Regions {
		if acct.Regions[i].Name == "af-south-1" {
			acct.Regions[i].OptStatus = "ENABLED"
		}
	}
	acct.EC2Instances["af-south-1"] = []snapshot.EC2Instance{{ID: "i-0af0000000000001", State: "pending"}}
	srv := startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, everySource()...)

	regions := enabledRegions(acct)
	if len(regions) != 18 {
		t.Fatalf("model has %d enabled regions, want 18", len(regions))
	}
	var gotRegions []string
	for _, r := range snap.Regions {
		gotRegions = append(gotRegions, r.Name)
		if want := map[bool]string{true: "ENABLED", false: "ENABLED_BY_DEFAULT"}[r.Name == "af-south-1"]; r.OptStatus != want {
			t.Errorf("region %s opt status %q, want %q", r.Name, r.OptStatus, want)
		}
	}
	sameJSON(t, "regions", gotRegions, regions)
	lr := srv.Requests("ListRegions")
	if len(lr) != 1 || strings.Join(lr[0]["RegionOptStatusContains"], ",") != "ENABLED,ENABLED_BY_DEFAULT" {
		t.Errorf("ListRegions requests %v: want one filtered to ENABLED and ENABLED_BY_DEFAULT", lr)
	}

	// Every enabled region once for each regional operation, no other region.
	calls := srv.Calls()
	for c, n := range calls {
		switch c.Action {
		case "ListAnalyzers", "DescribeInstances":
			if n != 1 || !contains(regions, c.Region) {
				t.Errorf("%s in %s: %d requests, want 1 in each enabled region only", c.Action, c.Region, n)
			}
		}
	}
	for _, rg := range regions {
		if srv.CountIn("ListAnalyzers", rg) != 1 || srv.CountIn("DescribeInstances", rg) != 1 {
			t.Errorf("region %s: %d ListAnalyzers, %d DescribeInstances, want 1 each", rg, srv.CountIn("ListAnalyzers", rg), srv.CountIn("DescribeInstances", rg))
		}
	}
	for _, di := range srv.Requests("DescribeInstances") {
		if di.Get("MaxResults") != "1000" {
			t.Errorf("DescribeInstances MaxResults = %q, want 1000", di.Get("MaxResults"))
		}
	}

	// What was collected is the model.
	wantCerts := append([]snapshot.ServerCertificate(nil), acct.ServerCertificates...)
	sort.Slice(wantCerts, func(i, j int) bool { return wantCerts[i].ARN < wantCerts[j].ARN })
	sameJSON(t, "server certificates", snap.ServerCertificates, wantCerts)
	if len(snap.ServerCertificates) != 3 {
		t.Errorf("%d server certificates, want 3", len(snap.ServerCertificates))
	}
	if len(snap.AccessAnalyzers) != len(regions) || len(snap.EC2Instances) != len(regions) {
		t.Fatalf("%d analyzer regions, %d EC2 regions, want %d", len(snap.AccessAnalyzers), len(snap.EC2Instances), len(regions))
	}
	instances := 0
	for i, rg := range regions {
		aa, ec := snap.AccessAnalyzers[i], snap.EC2Instances[i]
		if aa.Region != rg || ec.Region != rg || aa.Error != nil || ec.Error != nil || aa.Requests != 1 || ec.Requests != 1 {
			t.Errorf("region %d: analyzers %+v, instances %+v", i, aa, ec)
		}
		want := append([]snapshot.AccessAnalyzer{}, acct.AccessAnalyzers[rg]...)
		sort.Slice(want, func(i, j int) bool { return want[i].ARN < want[j].ARN })
		sameJSON(t, "analyzers in "+rg, aa.Analyzers, want)
		wantIn := append([]snapshot.EC2Instance{}, acct.EC2Instances[rg]...)
		sameJSON(t, "instances in "+rg, ec.Instances, wantIn)
		instances += len(ec.Instances)
	}
	if instances == 0 {
		t.Error("no instance collected")
	}
	ue1 := snap.AccessAnalyzers[indexOf(regions, "us-east-1")]
	if len(ue1.Analyzers) != 2 || ue1.Analyzers[0].Tags[0] != (snapshot.Tag{Key: "owner", Value: "security"}) || ue1.Analyzers[0].CreatedAt == nil {
		t.Errorf("us-east-1 analyzers = %+v", ue1.Analyzers)
	}
	sameJSON(t, "security contact", snap.SecurityContact, acct.SecurityContact)
	sameJSON(t, "organizations features", snap.OrganizationsFeatures, acct.OrganizationsFeatures)

	// Requests per source match what the server saw.
	counts := srv.Counts()
	perSource := map[string]int{}
	for _, op := range Operations {
		perSource[op.Source] += counts[op.Name]
	}
	for _, src := range newSources() {
		if got := snap.Sources[src].Requests; got != perSource[src] || got == 0 {
			t.Errorf("source %s recorded %d requests, server saw %d", src, got, perSource[src])
		}
	}
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// TestNewSourceAccessDenied: each new operation denied makes its own source
// (and only the sources that need it) fail, with the action named.
func TestNewSourceAccessDenied(t *testing.T) {
	for _, tc := range []struct {
		actions []string
		source  string
		code    string
		action  string
		// also are the sources that fail with it, and the code they fail with.
		also     []string
		alsoCode string
	}{
		{[]string{"ListServerCertificates"}, snapshot.SourceServerCertificates, "AccessDenied", "iam:ListServerCertificates", nil, ""},
		{[]string{"ListOrganizationsFeatures"}, snapshot.SourceOrganizationsFeatures, "AccessDenied", "iam:ListOrganizationsFeatures", nil, ""},
		{[]string{"GetAlternateContact"}, snapshot.SourceSecurityContact, "AccessDeniedException", "account:GetAlternateContact", nil, ""},
		{[]string{"ListAnalyzers"}, snapshot.SourceAccessAnalyzers, "AccessDeniedException", "access-analyzer:ListAnalyzers", nil, ""},
		{[]string{"DescribeInstances"}, snapshot.SourceEC2Instances, "UnauthorizedOperation", "ec2:DescribeInstances", nil, ""},
		{[]string{"ListFunctions"}, snapshot.SourceLambdaFunctions, "AccessDeniedException", "lambda:ListFunctions", nil, ""},
		{[]string{"ListRegions", "DescribeRegions"}, snapshot.SourceRegions, "AccessDeniedException", "account:ListRegions",
			[]string{snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances, snapshot.SourceLambdaFunctions}, "RegionsUnknown"},
	} {
		t.Run(tc.source, func(t *testing.T) {
			acct := iamtest.GenerateAccount(testAccountID, 5)
			srv := startServer(t, acct)
			for _, a := range tc.actions {
				srv.DenyAccess(a)
			}
			snap := mustCollect(t, fastOptions())
			st := requireError(t, snap, tc.source, tc.code, "not authorized")
			if st.Error.Action != tc.action {
				t.Errorf("action = %q, want %s", st.Error.Action, tc.action)
			}
			for _, dep := range tc.also {
				ds := requireError(t, snap, dep, tc.alsoCode, "enabled regions are unknown", tc.code)
				if ds.Error.Action != tc.action || ds.Partial {
					t.Errorf("%s: action %q partial %v, want %s and nothing kept", dep, ds.Error.Action, ds.Partial, tc.action)
				}
			}
			if tc.source == snapshot.SourceRegions {
				if !strings.Contains(st.Note, "ec2:DescribeRegions failed too") {
					t.Errorf("note = %q", st.Note)
				}
				if srv.Count("ListAnalyzers")+srv.Count("DescribeInstances")+srv.Count("ListFunctions") != 0 {
					t.Errorf("regional requests were sent without regions: %v", srv.Counts())
				}
				if len(snap.Regions) != 0 || len(snap.AccessAnalyzers) != 0 || len(snap.EC2Instances) != 0 || len(snap.LambdaFunctions) != 0 {
					t.Errorf("data without regions: %v %v %v", snap.Regions, snap.AccessAnalyzers, snap.EC2Instances)
				}
			}
			requireOthersOK(t, snap, append([]string{tc.source}, tc.also...)...)
			switch tc.source {
			case snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances, snapshot.SourceLambdaFunctions:
				// Every region tried once and recorded its own error;
				// access denied is not retried.
				for _, rg := range snapshottest.EnabledByDefaultRegions {
					if n := srv.CountIn(tc.actions[0], rg); n != 1 {
						t.Errorf("%s in %s: %d requests, want 1", tc.actions[0], rg, n)
					}
				}
				if st.Partial {
					t.Errorf("partial with every region denied")
				}
				if !strings.Contains(st.Error.Message, "17 of 17 regions") {
					t.Errorf("message = %q", st.Error.Message)
				}
			default:
				if n := srv.Count(tc.actions[0]); n != 1 {
					t.Errorf("%s: %d requests, want 1", tc.actions[0], n)
				}
			}
		})
	}
}

// TestOneRegionFails: a region that fails records its own error; the
// source is an error, partial, and every other region's data is kept.
func TestOneRegionFails(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 5)
	srv := startServer(t, acct)
	srv.DenyAccessIn("ListAnalyzers", "eu-west-2")
	srv.FailIn("DescribeInstances", "ap-south-1", "RequestLimitExceeded", "Request limit exceeded.", 0)
	opts := fastOptions()
	opts.standardRetry = true
	opts.MaxAttempts = 3
	snap := mustCollect(t, opts)
	requireOthersOK(t, snap, snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances)

	aa := requireError(t, snap, snapshot.SourceAccessAnalyzers, "AccessDeniedException", "1 of 17 regions", "eu-west-2 (AccessDeniedException)")
	ec := requireError(t, snap, snapshot.SourceEC2Instances, "RequestLimitExceeded", "1 of 17 regions", "ap-south-1 (RequestLimitExceeded)")
	if !aa.Partial || !ec.Partial {
		t.Errorf("partial = %v, %v; want true (the other regions were read)", aa.Partial, ec.Partial)
	}
	if aa.Error.Action != listAnalyzers || ec.Error.Action != describeInstances {
		t.Errorf("actions %q %q", aa.Error.Action, ec.Error.Action)
	}
	for _, r := range snap.AccessAnalyzers {
		switch {
		case r.Region == "eu-west-2":
			if r.Error == nil || r.Error.Code != "AccessDeniedException" || r.Error.Action != listAnalyzers || len(r.Analyzers) != 0 || r.Analyzers == nil {
				t.Errorf("failed region entry = %+v", r)
			}
		case r.Error != nil || len(r.Analyzers) == 0:
			t.Errorf("region %s lost its analyzers: %+v", r.Region, r)
		}
	}
	for _, r := range snap.EC2Instances {
		if (r.Region == "ap-south-1") != (r.Error != nil) {
			t.Errorf("region %s: error %+v", r.Region, r.Error)
		}
		if r.Region == "ap-south-1" && r.Error.Code != "RequestLimitExceeded" {
			t.Errorf("ap-south-1 error %+v", r.Error)
		}
	}
	// Throttling is retried (3 attempts), as everywhere else.
	if n := srv.CountIn("DescribeInstances", "ap-south-1"); n != 3 {
		t.Errorf("ap-south-1: %d DescribeInstances attempts, want 3", n)
	}
	if n := srv.CountIn("DescribeInstances", "eu-west-1"); n != 1 {
		t.Errorf("eu-west-1: %d DescribeInstances, want 1", n)
	}
}

// TestRegionalPagination: every page is read; requests grow with pages and
// regions, not with instances; a broken page keeps what came before it.
func TestRegionalPagination(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	many := make([]snapshot.EC2Instance, 2500)
	for i := range many {
		many[i] = snapshot.EC2Instance{ID: fmt.Sprintf("i-%017x", 0x100000+i), State: "running"}
		if i%2 == 0 {
			many[i].InstanceProfileARN = "arn:aws:iam::" + testAccountID + ":instance-profile/web"
		}
	}
	acct.EC2Instances["eu-west-1"] = many
	var analyzers []snapshot.AccessAnalyzer
	for i := 0; i < 150; i++ {
		analyzers = append(analyzers, snapshot.AccessAnalyzer{Name: fmt.Sprintf("a%03d", i), Type: "ACCOUNT", Status: "ACTIVE",
			ARN: fmt.Sprintf("arn:aws:access-analyzer:us-west-2:%s:analyzer/a%03d", testAccountID, i)})
	}
	acct.AccessAnalyzers["us-west-2"] = analyzers
	srv := startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, everySource()...)
	for _, r := range snap.EC2Instances {
		if r.Region == "eu-west-1" && (len(r.Instances) != 2500 || r.Requests != 3) {
			t.Errorf("eu-west-1: %d instances in %d requests, want 2500 in 3", len(r.Instances), r.Requests)
		}
	}
	// The server may also see the SDK's retry of a request whose
	// connection broke (a loaded machine), never fewer.
	if n := srv.CountIn("DescribeInstances", "eu-west-1"); n < 3 || n > 4 {
		t.Errorf("server saw %d DescribeInstances in eu-west-1, want 3 pages", n)
	}
	for _, r := range snap.AccessAnalyzers {
		if r.Region == "us-west-2" && (len(r.Analyzers) != 150 || r.Requests != 2) {
			t.Errorf("us-west-2: %d analyzers in %d requests, want 150 in 2", len(r.Analyzers), r.Requests)
		}
	}

	t.Run("bad token", func(t *testing.T) {
		srv := startServer(t, acct)
		srv.BreakPages("DescribeInstances", iamtest.PageBadMarker)
		snap := mustCollect(t, fastOptions())
		st := requireError(t, snap, snapshot.SourceEC2Instances, "InvalidParameterValue", "eu-west-1")
		if !st.Partial {
			t.Error("partial not set")
		}
		for _, r := range snap.EC2Instances {
			if r.Region == "eu-west-1" && (len(r.Instances) != 1000 || r.Error == nil || r.Requests != 2) {
				t.Errorf("eu-west-1 kept %d instances after %d requests (error %+v), want the first page of 1000", len(r.Instances), r.Requests, r.Error)
			}
		}
	})
	t.Run("endless", func(t *testing.T) {
		srv := startServer(t, acct)
		srv.BreakPages("ListAnalyzers", iamtest.PageEndless)
		snap := mustCollect(t, fastOptions())
		st := requireError(t, snap, snapshot.SourceAccessAnalyzers, "PaginationLimit", "17 of 17 regions")
		if st.Partial {
			t.Error("partial set although no region was read completely")
		}
		if n := srv.Count("ListAnalyzers"); n < 17*maxAnalyzerPages || n > 17*maxAnalyzerPages+3 {
			t.Errorf("%d ListAnalyzers requests, want %d (the bound in each region)", n, 17*maxAnalyzerPages)
		}
	})
}

func TestPaginateTokensStopsOnRepeat(t *testing.T) {
	tokens := []string{"a", "b", "a"}
	n := 0
	err := paginateTokens(context.Background(), "ec2:DescribeInstances", 10, func(ctx context.Context, token *string) (*string, error) {
		next := tokens[n]
		n++
		return &next, nil
	})
	var se *sourceError
	if !errors.As(err, &se) || se.code != "RepeatedToken" || se.action != "ec2:DescribeInstances" || n != 3 {
		t.Fatalf("err = %v after %d pages, want RepeatedToken after 3", err, n)
	}
	n = 0
	err = paginateTokens(context.Background(), "ec2:DescribeInstances", 10, func(ctx context.Context, token *string) (*string, error) {
		n++
		if n == 4 {
			return aws.String(""), nil
		}
		return aws.String(fmt.Sprint(n)), nil
	})
	if err != nil || n != 4 {
		t.Fatalf("err = %v after %d pages, want nil after 4", err, n)
	}
}

// TestRequestsFor1000UsersIn17Regions is the figure of a whole collection
// of a 1,000-user account across the 17 default regions, counted at the
// server: it grows with pages and regions, not with users or instances.
func TestRequestsFor1000UsersIn17Regions(t *testing.T) {
	count := func(instancesPerRegion int) (int, map[string]int) {
		acct := iamtest.GenerateAccount(testAccountID, 1000)
		if instancesPerRegion > 0 {
			for _, rg := range snapshottest.EnabledByDefaultRegions {
				var in []snapshot.EC2Instance
				for i := 0; i < instancesPerRegion; i++ {
					in = append(in, snapshot.EC2Instance{ID: fmt.Sprintf("i-%017x", i), State: "stopped"})
				}
				acct.EC2Instances[rg] = in
			}
		}
		srv := startServer(t, acct)
		snap := mustCollect(t, fastOptions())
		requireOK(t, snap, everySource()...)
		recorded := 0
		for _, st := range snap.Sources {
			recorded += st.Requests
		}
		if seen := srv.Total(); seen < recorded || seen > recorded+3 {
			t.Errorf("sources recorded %d requests, server saw %d", recorded, seen)
		}
		perRegion := map[string]int{}
		for c, n := range srv.Calls() {
			perRegion[c.Region] += n
		}
		// ListAnalyzers + DescribeInstances + ListFunctions pages in each
		// region (us-east-1 also signs the global IAM, STS and Account
		// requests).
		want := 2 + max(1, (instancesPerRegion+999)/1000)
		for i, rg := range snapshottest.EnabledByDefaultRegions {
			if got := snap.AccessAnalyzers[i].Requests + snap.EC2Instances[i].Requests + snap.LambdaFunctions[i].Requests; got != want {
				t.Errorf("%s: %d requests recorded, want %d", rg, got, want)
			}
			if n := perRegion[rg]; rg != "us-east-1" && (n < want || n > want+1) {
				t.Errorf("%s: server saw %d requests, want %d", rg, n, want)
			}
		}
		t.Logf("1000 users, 17 regions, %d instances a region: %d requests recorded, %d seen %v; by region %v",
			instancesPerRegion, recorded, srv.Total(), srv.Counts(), perRegion)
		return recorded, srv.Counts()
	}
	total, counts := count(0)
	// 13 IAM and STS requests (1000 users: one page of each IAM listing),
	// 4 for certificates, Organizations features, the contact and the
	// regions, 1 for the organization (none: DescribeOrganization says
	// so), and 3 in each of the 17 regions.
	if total != 69 || counts["ListAnalyzers"] != 17 || counts["DescribeInstances"] != 17 || counts["ListFunctions"] != 17 {
		t.Errorf("1000 users in 17 regions: %d requests %v, want 69", total, counts)
	}
	// 2,000 instances in every region: two pages each, 17 more requests.
	if total2, _ := count(2000); total2 != total+17 {
		t.Errorf("with 2000 instances a region: %d requests, want %d", total2, total+17)
	}
}

func TestSecurityContact(t *testing.T) {
	t.Run("none registered", func(t *testing.T) {
		acct := iamtest.GenerateAccount(testAccountID, 2)
		acct.SecurityContact = nil
		startServer(t, acct)
		snap := mustCollect(t, fastOptions())
		requireOK(t, snap, everySource()...)
		if snap.SecurityContact != nil || !strings.Contains(snap.Sources[snapshot.SourceSecurityContact].Note, "no security alternate contact") {
			t.Errorf("contact %+v note %q", snap.SecurityContact, snap.Sources[snapshot.SourceSecurityContact].Note)
		}
	})
	t.Run("details stay out of notes and logs", func(t *testing.T) {
		acct := iamtest.GenerateAccount(testAccountID, 2)
		acct.SecurityContact = &snapshot.AlternateContact{Type: "SECURITY", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0000", Title: "CISO"}
		srv := startServer(t, acct)
		srv.DenyAccessIn("ListAnalyzers", "eu-west-1") // an error line or two to look through
		var stderr bytes.Buffer
		opts := fastOptions()
		opts.Stderr = &stderr
		snap := mustCollect(t, opts)
		if snap.SecurityContact == nil || snap.SecurityContact.Email != "ada@example.org" {
			t.Fatalf("contact = %+v", snap.SecurityContact)
		}
		var text strings.Builder
		text.WriteString(stderr.String())
		for _, st := range snap.Sources {
			text.WriteString(st.Note)
			if st.Error != nil {
				text.WriteString(st.Error.Message)
			}
		}
		for _, detail := range []string{"Ada Lovelace", "ada@example.org", "7946"} {
			if strings.Contains(text.String(), detail) {
				t.Errorf("contact detail %q reached a note, an error or the log", detail)
			}
		}
	})
}

func TestOrganizationsFeatures(t *testing.T) {
	for _, tc := range []struct {
		name, errCode string
		features      *snapshot.OrganizationsFeatures
		wantOK        bool
		note          string
	}{
		{"not in an organization", "OrganizationNotFoundException", nil, true, "in no AWS Organizations organization"},
		{"member account", "AccountNotManagementOrDelegatedAdministratorException", nil, false, "management account or the delegated administrator"},
		{"trusted access off", "ServiceAccessNotEnabledException", nil, false, "trusted access for IAM is not enabled"},
		{"consolidated billing only", "OrganizationNotInAllFeaturesModeException", nil, false, "all features"},
		{"no feature enabled", "", &snapshot.OrganizationsFeatures{OrganizationID: "o-a1b2c3d4e5", EnabledFeatures: []string{}}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acct := iamtest.GenerateAccount(testAccountID, 2)
			acct.OrganizationsFeatures, acct.OrganizationsError = tc.features, tc.errCode
			startServer(t, acct)
			snap := mustCollect(t, fastOptions())
			st := snap.Sources[snapshot.SourceOrganizationsFeatures]
			if !strings.Contains(st.Note, tc.note) {
				t.Errorf("note = %q, want it to mention %q", st.Note, tc.note)
			}
			if tc.wantOK {
				requireOK(t, snap, everySource()...)
				sameJSON(t, "features", snap.OrganizationsFeatures, tc.features)
				return
			}
			st = requireError(t, snap, snapshot.SourceOrganizationsFeatures, tc.errCode, tc.note)
			if st.Error.Action != listOrganizationsFeatures || snap.OrganizationsFeatures != nil {
				t.Errorf("error %+v, features %+v", st.Error, snap.OrganizationsFeatures)
			}
			requireOthersOK(t, snap, snapshot.SourceOrganizationsFeatures)
		})
	}
}

func TestRegionsFallback(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2)
	srv := startServer(t, acct)
	srv.DenyAccess("ListRegions")
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, everySource()...)
	st := snap.Sources[snapshot.SourceRegions]
	if !strings.Contains(st.Note, "account:ListRegions failed (AccessDeniedException") || !strings.Contains(st.Note, "from ec2:DescribeRegions") {
		t.Errorf("note = %q", st.Note)
	}
	if len(snap.Regions) != 17 || snap.Regions[0].OptStatus != "ENABLED_BY_DEFAULT" {
		t.Errorf("regions = %+v", snap.Regions)
	}
	if srv.Count("DescribeRegions") != 1 || len(snap.AccessAnalyzers) != 17 {
		t.Errorf("DescribeRegions %d, analyzer regions %d", srv.Count("DescribeRegions"), len(snap.AccessAnalyzers))
	}
	if srv.Requests("DescribeRegions")[0].Get("AllRegions") == "true" {
		t.Error("DescribeRegions asked for all regions, enabled or not")
	}
}

// TestHostileRegionName: a region name is part of an endpoint host name;
// one that is not a region name is never used.
func TestHostileRegionName(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2)
	acct.Regions = append(acct.Regions, snapshot.Region{Name: "evil.example.com/x", OptStatus: "ENABLED"},
		snapshot.Region{Name: "us-east-1", OptStatus: "ENABLED_BY_DEFAULT"}) // and a duplicate
	srv := startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	st := requireError(t, snap, snapshot.SourceRegions, "MalformedResponse", "evil.example.com/x")
	if !st.Partial || len(snap.Regions) != 17 {
		t.Errorf("partial %v, %d regions; want the 17 good ones kept", st.Partial, len(snap.Regions))
	}
	requireError(t, snap, snapshot.SourceAccessAnalyzers, "RegionsIncomplete", "known only in part")
	for c := range srv.Calls() {
		if strings.Contains(c.Region, "evil") {
			t.Errorf("a request was signed for region %q", c.Region)
		}
	}
	if srv.CountIn("ListAnalyzers", "us-east-1") != 1 {
		t.Errorf("us-east-1 read %d times", srv.CountIn("ListAnalyzers", "us-east-1"))
	}
}

// TestRegionalStall: a region that does not answer times out on its own
// (RequestTimeout in its entry) while the others are read.
func TestRegionalStall(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 2))
	srv.SetStall("DescribeInstances", iamtest.StallNoAnswer)
	// 500ms, not shortOptions' 100ms: the other sources must not time out
	// on a loaded (or -race) run.
	opts := shortOptions()
	opts.RequestTimeout = 500 * time.Millisecond
	snap, err := collectCtx(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	st := requireError(t, snap, snapshot.SourceEC2Instances, "RequestTimeout", "17 of 17 regions", "500ms")
	if st.Error.Action != describeInstances {
		t.Errorf("action = %q", st.Error.Action)
	}
	for _, r := range snap.EC2Instances {
		if r.Error == nil || r.Error.Code != "RequestTimeout" {
			t.Errorf("region %s: %+v", r.Region, r.Error)
		}
	}
	requireOthersOK(t, snap, snapshot.SourceEC2Instances)
}

// TestReplayNewSources: FromSnapshot serves a collected snapshot's new
// sources again, region errors included.
func TestReplayNewSources(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 3))
	srv.DenyAccessIn("ListAnalyzers", "sa-east-1")
	opts := fastOptions()
	opts.SkipAWSConfig = true
	first := mustCollect(t, opts)
	a, _ := snapshot.Marshal(first)
	startServer(t, iamtest.FromSnapshot(first))
	b, _ := snapshot.Marshal(mustCollect(t, opts))
	if !bytes.Equal(a, b) {
		t.Errorf("replay differs:\n%.3000s\n---\n%.3000s", a, b)
	}
}

// TestNewClientsAreGuarded: the clients Collect builds for the new services
// refuse writes before sending them.
func TestNewClientsAreGuarded(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	cfg, _, err := loadConfig(context.Background(), fastOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(cfg, fastOptions())
	ctx := context.Background()
	_, err = c.account.PutAlternateContact(ctx, &account.PutAlternateContactInput{AlternateContactType: accounttypes.AlternateContactTypeSecurity,
		EmailAddress: aws.String("x@example.com"), Name: aws.String("x"), PhoneNumber: aws.String("1"), Title: aws.String("x")})
	requireRefused(t, srv, ServiceAccount, "PutAlternateContact", err)
	_, err = c.account.DeleteAlternateContact(ctx, &account.DeleteAlternateContactInput{AlternateContactType: accounttypes.AlternateContactTypeSecurity})
	requireRefused(t, srv, ServiceAccount, "DeleteAlternateContact", err)
	_, err = c.account.EnableRegion(ctx, &account.EnableRegionInput{RegionName: aws.String("af-south-1")})
	requireRefused(t, srv, ServiceAccount, "EnableRegion", err)
	_, err = c.accessAnalyzer("eu-west-1").CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("x"), Type: "ACCOUNT"})
	requireRefused(t, srv, ServiceAccessAnalyzer, "CreateAnalyzer", err)
	_, err = c.accessAnalyzer("eu-west-1").DeleteAnalyzer(ctx, &accessanalyzer.DeleteAnalyzerInput{AnalyzerName: aws.String("x")})
	requireRefused(t, srv, ServiceAccessAnalyzer, "DeleteAnalyzer", err)
	_, err = c.ec2("eu-west-1").TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	requireRefused(t, srv, ServiceEC2, "TerminateInstances", err)
	_, err = c.ec2("eu-west-1").GetPasswordData(ctx, &ec2.GetPasswordDataInput{InstanceId: aws.String("i-0123456789abcdef0")})
	requireRefused(t, srv, ServiceEC2, "GetPasswordData", err)
	_, err = c.ec2("eu-west-1").RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	requireRefused(t, srv, ServiceEC2, "RunInstances", err)
	if srv.Total() != 0 {
		t.Fatalf("refused operations reached the server: %v", srv.Counts())
	}
	// Reads pass, in the region asked for.
	if _, err := c.ec2("eu-west-1").DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
		t.Fatalf("DescribeInstances through the guard: %v", err)
	}
	if _, err := c.accessAnalyzer("eu-west-1").ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{}); err != nil {
		t.Fatalf("ListAnalyzers through the guard: %v", err)
	}
	if srv.CountIn("DescribeInstances", "eu-west-1") != 1 || srv.CountIn("ListAnalyzers", "eu-west-1") != 1 {
		t.Errorf("calls = %v", srv.Calls())
	}
}

// TestOverallTimeoutInRegions: when the collection timeout runs out while
// the regions are being listed, the regional sources are not started in
// any region and say why; the other sources are kept.
func TestOverallTimeoutInRegions(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 3))
	srv.SetStall("ListRegions", iamtest.StallNoAnswer)
	opts := fastOptions()
	opts.RequestTimeout = time.Hour
	opts.Timeout = 500 * time.Millisecond
	snap, err := collectCtx(t, opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	st := requireError(t, snap, snapshot.SourceRegions, "Timeout", "collection timeout (500ms)")
	if st.Error.Action != listRegions {
		t.Errorf("action = %q", st.Error.Action)
	}
	for _, src := range []string{snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances} {
		requireError(t, snap, src, "Timeout", "collection timeout (500ms)", "enabled regions are unknown")
	}
	if n := srv.Count("DescribeRegions") + srv.Count("ListAnalyzers") + srv.Count("DescribeInstances"); n != 0 {
		t.Errorf("%d requests after the timeout: %v", n, srv.Counts())
	}
	requireOK(t, snap, snapshot.SourceCallerIdentity, snapshot.SourceAuthorizationDetails, snapshot.SourceServerCertificates)
}

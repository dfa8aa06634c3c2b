package facts

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func regionsSnap(regions ...string) *snapshot.Snapshot {
	s := baseSnap()
	ok(s, snapshot.SourceRegions)
	for _, r := range regions {
		s.Regions = append(s.Regions, snapshot.Region{Name: r, OptStatus: "ENABLED"})
	}
	return s
}

func analyzerIn(region, name, typ string) snapshot.AccessAnalyzer {
	return snapshot.AccessAnalyzer{Name: name, ARN: "arn:aws:access-analyzer:" + region + ":111122223333:analyzer/" + name, Type: typ, Status: "ACTIVE"}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	// small maps: insertion sort keeps the test free of extra imports
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func problemItems(f *Facts, source string) []string {
	var out []string
	for _, p := range f.Problems {
		if p.Source == source {
			out = append(out, p.Item)
		}
	}
	return out
}

// The regional rule: a region whose entry has an error, and an enabled
// region without an entry, are unknown (one Problem each, on the account);
// a source marked "error" whose failure the regions explain becomes usable
// (ok, partial), so that the regions that answered are judged.
func TestRegionalUnknownRegions(t *testing.T) {
	s := regionsSnap("us-east-1", "eu-west-1", "ap-south-1")
	denied := &snapshot.SourceError{Code: "AccessDeniedException", Message: "denied by SCP", Action: "access-analyzer:ListAnalyzers"}
	s.Sources[snapshot.SourceAccessAnalyzers] = snapshot.SourceStatus{Status: snapshot.StatusError, Partial: true, Error: denied}
	s.AccessAnalyzers = []snapshot.AccessAnalyzerRegion{
		{Region: "us-east-1", Analyzers: []snapshot.AccessAnalyzer{analyzerIn("us-east-1", "ext", "ACCOUNT")}},
		// Failed after one page: what was read is kept.
		{Region: "eu-west-1", Error: denied, Analyzers: []snapshot.AccessAnalyzer{analyzerIn("eu-west-1", "unused", "ACCOUNT_UNUSED_ACCESS")}},
		// ap-south-1 has no entry at all.
	}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	st := f.Sources[snapshot.SourceAccessAnalyzers]
	if st.Status != snapshot.StatusOK || !st.Partial || st.ErrorCode != "AccessDeniedException" {
		t.Fatalf("source = %+v, want ok, partial, error kept", st)
	}
	if got, want := keys(f.AccessAnalyzerUnknown), []string{"ap-south-1", "eu-west-1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("unknown regions = %v, want %v", got, want)
	}
	eu := f.AccessAnalyzerUnknown["eu-west-1"]
	if eu.Code != "AccessDeniedException" || eu.Action != "access-analyzer:ListAnalyzers" || !strings.Contains(eu.Reason, "denied by SCP") {
		t.Errorf("eu-west-1 = %+v", eu)
	}
	if ap := f.AccessAnalyzerUnknown["ap-south-1"]; ap.Code != ErrorCodeIncomplete || !strings.Contains(ap.Reason, "no result for ap-south-1") {
		t.Errorf("ap-south-1 = %+v", ap)
	}
	if got, want := keys(f.AccessAnalyzers), []string{"ap-south-1", "eu-west-1", "us-east-1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("regions judged = %v, want %v", got, want)
	}
	if a := f.AccessAnalyzers["eu-west-1"].Analyzers; len(a) != 1 || a[0].ExternalAccess || a[0].Region != "eu-west-1" {
		t.Errorf("eu-west-1 analyzers read before the error: %+v", a)
	}
	if a := f.AccessAnalyzers["us-east-1"].Analyzers; len(a) != 1 || !a[0].ExternalAccess {
		t.Errorf("us-east-1 analyzers: %+v", a)
	}
	if got, want := problemItems(f, snapshot.SourceAccessAnalyzers), []string{"region ap-south-1", "region eu-west-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	for _, p := range f.Problems {
		if !reflect.DeepEqual(p.Resources, []string{f.Account.ARN}) {
			t.Errorf("problem %s resources = %v, want the account", p.Item, p.Resources)
		}
	}
}

// A source marked "error" that no region explains stays failed (the whole
// check is NOT_ASSESSED), and so does every regional source when the region
// list failed; no problem is added for them.
func TestRegionalSourceFailuresStayFailed(t *testing.T) {
	boom := &snapshot.SourceError{Code: "MalformedData", Message: "page 2 did not parse"}
	for name, s := range map[string]*snapshot.Snapshot{
		"unexplained": func() *snapshot.Snapshot {
			s := regionsSnap("us-east-1")
			s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "InternalError", Message: "x"}}
			s.EC2Instances = []snapshot.EC2Region{{Region: "us-east-1", Instances: []snapshot.EC2Instance{}}}
			return s
		}(),
		"regions failed": func() *snapshot.Snapshot {
			s := regionsSnap()
			s.Sources[snapshot.SourceRegions] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "AccessDenied", Message: "x"}}
			s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: boom}
			s.EC2Instances = []snapshot.EC2Region{{Region: "us-east-1", Error: boom, Instances: []snapshot.EC2Instance{}}}
			return s
		}(),
		"no region answered": func() *snapshot.Snapshot {
			s := regionsSnap("us-east-1", "eu-west-1")
			denied := &snapshot.SourceError{Code: "AccessDenied", Message: "x"}
			s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: denied}
			s.EC2Instances = []snapshot.EC2Region{{Region: "us-east-1", Error: denied, Instances: []snapshot.EC2Instance{}}}
			return s
		}(),
		"malformed": func() *snapshot.Snapshot {
			s := regionsSnap("us-east-1")
			s.Sources[snapshot.SourceEC2Instances] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: boom}
			return s
		}(),
	} {
		f, err := Build(s)
		if err != nil {
			t.Fatal(err)
		}
		if f.OK(snapshot.SourceEC2Instances) {
			t.Errorf("%s: source ec2_instances usable: %+v", name, f.Sources[snapshot.SourceEC2Instances])
		}
		if p := problemItems(f, snapshot.SourceEC2Instances); len(p) != 0 {
			t.Errorf("%s: problems %v for a failed source", name, p)
		}
	}
}

// A complete source with every region answered has no unknown region and
// no problem; an ok source that still misses a region lists it.
func TestRegionalCompleteAndOKButMissing(t *testing.T) {
	s := regionsSnap("us-east-1", "eu-west-1")
	ok(s, snapshot.SourceEC2Instances)
	s.EC2Instances = []snapshot.EC2Region{
		{Region: "us-east-1", Instances: []snapshot.EC2Instance{{ID: "i-2", State: "running"}, {ID: "i-1", State: "stopped", InstanceProfileARN: "arn:aws:iam::111122223333:instance-profile/p"}}},
		{Region: "eu-west-1", Instances: []snapshot.EC2Instance{}},
	}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.EC2Unknown) != 0 || len(f.Problems) != 0 {
		t.Fatalf("unknown %v, problems %v", f.EC2Unknown, f.Problems)
	}
	in := f.EC2Instances["us-east-1"].Instances
	if len(in) != 2 || in[0].ID != "i-1" || in[0].ARN != "arn:aws:ec2:us-east-1:111122223333:instance/i-1" {
		t.Fatalf("instances = %+v", in)
	}

	s.EC2Instances = s.EC2Instances[:1]
	f, err = Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(f.EC2Unknown); !reflect.DeepEqual(got, []string{"eu-west-1"}) {
		t.Fatalf("unknown = %v, want eu-west-1", got)
	}
	if !f.OK(snapshot.SourceEC2Instances) {
		t.Fatal("source not usable")
	}
}

func TestServerCertificatesExpiry(t *testing.T) {
	s := baseSnap()
	ok(s, snapshot.SourceServerCertificates)
	before, after := s.CollectedAt.Add(-time.Second), s.CollectedAt.Add(time.Hour)
	s.ServerCertificates = []snapshot.ServerCertificate{
		{Name: "b", ARN: "arn:b", Expiration: &after},
		{Name: "a", ARN: "arn:a", Expiration: &before},
		{Name: "c", ARN: "arn:c"},
	}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	c := f.ServerCertificates
	if len(c) != 3 || c[0].Name != "a" || c[0].Expired == nil || !*c[0].Expired || c[1].Expired == nil || *c[1].Expired || c[2].Expired != nil {
		t.Fatalf("certificates = %+v", c)
	}
}

func TestSecurityContact(t *testing.T) {
	s := baseSnap()
	s.Sources[snapshot.SourceSecurityContact] = snapshot.SourceStatus{Status: snapshot.StatusError,
		Error: &snapshot.SourceError{Code: "ResourceNotFoundException", Message: "No contact of the inputted alternate contact type found."}}
	f, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if !f.OK(snapshot.SourceSecurityContact) || f.SecurityContact == nil || f.SecurityContact.Registered {
		t.Fatalf("ResourceNotFound: %+v %+v", f.Sources[snapshot.SourceSecurityContact], f.SecurityContact)
	}
	s.Sources[snapshot.SourceSecurityContact] = snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "AccessDeniedException"}}
	if f, _ = Build(s); f.OK(snapshot.SourceSecurityContact) || f.SecurityContact != nil {
		t.Fatal("AccessDenied is usable")
	}
	ok(s, snapshot.SourceSecurityContact)
	s.SecurityContact = &snapshot.AlternateContact{Type: "SECURITY", Name: "Sec", Email: " sec@example.com "}
	if f, _ = Build(s); !f.SecurityContact.Registered || f.SecurityContact.Email != "sec@example.com" {
		t.Fatalf("contact = %+v", f.SecurityContact)
	}
}

func TestOrganizationsFeaturesAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  snapshot.SourceStatus
		data    *snapshot.OrganizationsFeatures
		usable  bool
		known   bool
		inOrg   *bool
		rcm, rs bool
		problem bool
	}{
		{name: "both", status: snapshot.SourceStatus{Status: snapshot.StatusOK},
			data:   &snapshot.OrganizationsFeatures{OrganizationID: "o-1", EnabledFeatures: []string{"RootSessions", "RootCredentialsManagement"}},
			usable: true, known: true, inOrg: boolPtr(true), rcm: true, rs: true},
		{name: "none enabled", status: snapshot.SourceStatus{Status: snapshot.StatusOK},
			data: &snapshot.OrganizationsFeatures{OrganizationID: "o-1", EnabledFeatures: []string{}}, usable: true, known: true, inOrg: boolPtr(true)},
		{name: "not found as error", status: snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "OrganizationNotFoundException", Message: "no organization"}},
			usable: true, known: true, inOrg: boolPtr(false)},
		{name: "not found as note", status: snapshot.SourceStatus{Status: snapshot.StatusOK, Note: "OrganizationNotFoundException: no organization"},
			usable: true, known: true, inOrg: boolPtr(false)},
		{name: "not all features", status: snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "OrganizationNotInAllFeaturesModeException"}},
			usable: true, known: true, inOrg: boolPtr(true)},
		{name: "member account", status: snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "AccountNotManagementOrDelegatedAdministratorException", Message: "not the management account"}},
			usable: true, known: false, inOrg: boolPtr(true), problem: true},
		{name: "nothing said", status: snapshot.SourceStatus{Status: snapshot.StatusOK}, usable: true, known: false, problem: true},
		{name: "access denied", status: snapshot.SourceStatus{Status: snapshot.StatusError, Error: &snapshot.SourceError{Code: "AccessDenied"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := baseSnap()
			s.Sources[snapshot.SourceOrganizationsFeatures] = tc.status
			s.OrganizationsFeatures = tc.data
			f, err := Build(s)
			if err != nil {
				t.Fatal(err)
			}
			if f.OK(snapshot.SourceOrganizationsFeatures) != tc.usable {
				t.Fatalf("usable = %v, want %v", !tc.usable, tc.usable)
			}
			if !tc.usable {
				if f.OrganizationsFeatures != nil {
					t.Fatalf("facts for a failed source: %+v", f.OrganizationsFeatures)
				}
				return
			}
			o := f.OrganizationsFeatures
			if o.Known != tc.known || !reflect.DeepEqual(o.InOrganization, tc.inOrg) || o.RootCredentialsManagement != tc.rcm || o.RootSessions != tc.rs {
				t.Fatalf("features = %+v", o)
			}
			if got := len(problemItems(f, snapshot.SourceOrganizationsFeatures)) > 0; got != tc.problem {
				t.Fatalf("problem = %v, want %v", got, tc.problem)
			}
		})
	}
}

package iampolicy

import (
	"slices"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/iampolicy/catalog"
)

func TestCatalogLoads(t *testing.T) {
	if err := CatalogError(); err != nil {
		t.Fatal(err)
	}
	if len(catalog.ActionsGz) > 400*1024 {
		t.Fatalf("embedded catalogue is %d bytes, budget 400 KB", len(catalog.ActionsGz))
	}
	if n := len(ExpandAction("*")); n < 20000 {
		t.Fatalf("ExpandAction(*) = %d actions", n)
	}
}

func TestAccessLevel(t *testing.T) {
	cases := map[string]string{
		"iam:CreatePolicyVersion": "Permissions management",
		"iam:TagRole":             "Tagging",
		"iam:PassRole":            "Write",
		"IAM:passrole":            "Write",
		"s3:GetObject":            "Read",
		"s3:ListAllMyBuckets":     "List",
		"iam:NoSuchAction":        "",
		"nosuchservice:Get":       "",
		"iam:*":                   "",
	}
	for a, want := range cases {
		if got := AccessLevel(a); got != want {
			t.Errorf("AccessLevel(%q) = %q, want %q", a, got, want)
		}
		if KnownAction(a) != (want != "") {
			t.Errorf("KnownAction(%q) = %v", a, KnownAction(a))
		}
	}
}

func TestExpandAction(t *testing.T) {
	got := ExpandAction("iam:CreateUser")
	if !slices.Equal(got, []string{"iam:CreateUser"}) {
		t.Fatalf("exact: %v", got)
	}
	if got := ExpandAction("IAM:createuser"); !slices.Equal(got, []string{"iam:CreateUser"}) {
		t.Fatalf("case-insensitive: %v", got)
	}
	iam := ExpandAction("iam:*")
	if len(iam) < 150 || !slices.Contains(iam, "iam:PassRole") || slices.ContainsFunc(iam, func(s string) bool { return s[:4] != "iam:" }) {
		t.Fatalf("iam:* gave %d actions", len(iam))
	}
	gets := ExpandAction("s3:Get*")
	for _, a := range gets {
		if a[:6] != "s3:Get" {
			t.Fatalf("s3:Get* returned %s", a)
		}
	}
	if !slices.Contains(gets, "s3:GetObject") || slices.Contains(gets, "s3:PutObject") {
		t.Fatalf("s3:Get*: %v", gets)
	}
	if !slices.IsSorted(gets) {
		t.Fatal("not sorted")
	}
	if got := ExpandAction("s?s:GetCallerIdentity"); !slices.Equal(got, []string{"sts:GetCallerIdentity"}) {
		t.Fatalf("service wildcard: %v", got)
	}
	if got := ExpandAction("iam:NoSuch*"); len(got) != 0 {
		t.Fatalf("unknown: %v", got)
	}
	if got := ExpandAction("noservice"); got != nil {
		t.Fatalf("malformed: %v", got)
	}
}

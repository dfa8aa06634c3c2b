package main

import (
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func parseFramework(t *testing.T, text string) *frameworks.Framework {
	t.Helper()
	fw, err := frameworks.Parse("fw-test.yaml", []byte("name: fw-test\ntitle: T\nversion: '1'\nsource: https://example.com/s\ncontrols:\n"+text))
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

// The generator refuses a framework the CIS scenarios cannot judge: a
// check they do not know, or an automated control none of them fails.
func TestCISExpectationsRefuseUncoveredControls(t *testing.T) {
	list := snapshottest.CISScenarios()
	for text, want := range map[string]string{
		"  - {id: '1', title: t, level: L1, automated: true, checks: [LD-NEW-99]}\n":            "LD-NEW-99, which the CIS scenarios do not cover",
		"  - {id: '1', title: t, level: L1, automated: true, checks: [LD-ROOT-01, LD-NEW-9]}\n": "LD-NEW-9",
	} {
		_, err := cisExpected(list, []*frameworks.Framework{parseFramework(t, text)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %q", strings.TrimSpace(text), err, want)
		}
	}
	// Only the clean account: nothing fails.
	_, err := cisExpected(list[:1], []*frameworks.Framework{parseFramework(t, "  - {id: '1', title: t, level: L1, automated: true, checks: [LD-CLI-03]}\n")})
	if err == nil || !strings.Contains(err.Error(), "no CIS scenario makes it fail") {
		t.Errorf("an automated control no scenario fails: error %v", err)
	}
}

// The expected control statuses follow the rule of internal/compliance.
func TestCISExpectedControlStatuses(t *testing.T) {
	fw := parseFramework(t, ""+
		"  - {id: m, title: t, level: L1, automated: false, reason: r}\n"+
		"  - {id: root, title: t, level: L1, automated: true, checks: [LD-ROOT-01, LD-ROOT-03]}\n"+
		"  - {id: org, title: t, level: L1, automated: true, checks: [LD-ORG-01]}\n")
	exp, err := cisExpected(snapshottest.CISScenarios(), []*frameworks.Framework{fw})
	if err != nil {
		t.Fatal(err)
	}
	rows := exp.Frameworks["fw-test"]
	for _, c := range []struct{ control, snap, want string }{
		{"m", "cis-clean.json", "MANUAL"},
		{"root", "cis-clean.json", "PASS"},
		{"root", "root-virtual-mfa.json", "FAIL"},
		{"root", "root-no-mfa.json", "FAIL"},
		{"root", "root-without-credentials.json", "PASS"},
		{"org", "organizations-features-denied.json", "NOT_ASSESSED"},
		{"org", "root-credentials-management-disabled.json", "FAIL"},
		{"org", "root-sessions-disabled.json", "PASS"},
	} {
		if got := rows[c.control][c.snap]; got != c.want {
			t.Errorf("%s on %s: %s, want %s", c.control, c.snap, got, c.want)
		}
	}
	if len(rows["root"]) != len(snapshottest.CISScenarios()) {
		t.Errorf("%d statuses for %d scenarios", len(rows["root"]), len(snapshottest.CISScenarios()))
	}
}

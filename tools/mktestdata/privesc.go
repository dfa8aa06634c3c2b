package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// privescExpectations is testdata/snapshots/privesc/expected.json: for
// every fixture, every principal's LD-PE-01 verdict; known_gaps lists the
// expectations the engine does not meet yet.
type privescExpectations struct {
	Check     string                               `json:"check"`
	Methods   []string                             `json:"methods"`
	Fixtures  map[string]privescFixtureExpectation `json:"fixtures"`
	KnownGaps []snapshottest.PrivescKnownGap       `json:"known_gaps"`
}

type privescFixtureExpectation struct {
	Methods    []string                              `json:"methods"`
	Change     string                                `json:"change"`
	Principals map[string]snapshottest.PrivescExpect `json:"principals"`
}

// renderPrivesc adds testdata/snapshots/privesc/: one snapshot per
// fixture, expected.json and README.md. Every user, group and role of a
// fixture must have an expectation, and every expectation a principal.
func renderPrivesc(files map[string][]byte) error {
	exp := privescExpectations{Check: "LD-PE-01", Fixtures: map[string]privescFixtureExpectation{},
		KnownGaps: append([]snapshottest.PrivescKnownGap{}, snapshottest.PrivescKnownGaps...)}
	methods := map[string]bool{}
	for _, f := range snapshottest.PrivescFixtures() {
		path := "privesc/" + f.Name + ".json"
		if _, dup := files[path]; dup {
			return fmt.Errorf("privesc fixture %s defined twice", f.Name)
		}
		s := f.Build()
		data, err := snapshot.Marshal(s)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if _, err := snapshot.Decode(path, data); err != nil {
			return err
		}
		files[path] = data
		want := snapshottest.PrivescExpected(f)
		have := map[string]bool{}
		for _, arn := range snapshottest.PrivescPrincipals(s) {
			have[arn] = true
			if _, ok := want[arn]; !ok {
				return fmt.Errorf("privesc fixture %s: no expectation for %s", f.Name, arn)
			}
		}
		for arn, e := range want {
			if !have[arn] {
				return fmt.Errorf("privesc fixture %s: expectation for %s, which the snapshot does not have", f.Name, arn)
			}
			if (e.Status == "FAIL") != (len(e.MethodIDs) > 0) || (e.Status == "FAIL") != (e.Context != "" && e.RequiresMFA != nil) {
				return fmt.Errorf("privesc fixture %s, %s: a FAIL names its path's methods, context and requires_mfa, nothing else does", f.Name, arn)
			}
			if e.Why == "" {
				return fmt.Errorf("privesc fixture %s, %s: no reason", f.Name, arn)
			}
		}
		for _, m := range f.Methods {
			methods[m] = true
		}
		exp.Fixtures[f.Name] = privescFixtureExpectation{Methods: append([]string{}, f.Methods...), Change: f.Change, Principals: want}
	}
	for m := range methods {
		exp.Methods = append(exp.Methods, m)
	}
	sort.Strings(exp.Methods)
	out, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		return err
	}
	files["privesc/expected.json"] = append(out, '\n')
	files["privesc/README.md"] = privescREADME(exp)
	return nil
}

func privescREADME(exp privescExpectations) []byte {
	var b bytes.Buffer
	b.WriteString(`# Privilege-escalation corpus (LD-PE-01)

The guide's compliant account with, per file, the attackers of one catalogue method: a positive case and
the same action set made harmless by a condition, a resource constraint, an explicit deny, a permissions
boundary or a harmless target. ` + "`expected.json`" + ` gives, per file and principal ARN, the status
LD-PE-01 must report and, for a FAIL, the method IDs of the shortest path, its request context and
requires_mfa; ` + "`known_gaps`" + ` lists the expectations the engine does not meet yet.

Methods covered: ` + strings.Join(exp.Methods, ", ") + `.

| file | methods | the change |
|------|---------|------------|
`)
	names := make([]string, 0, len(exp.Fixtures))
	for n := range exp.Fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := exp.Fixtures[n]
		fmt.Fprintf(&b, "| `%s.json` | %s | %s |\n", n, ids(f.Methods), cell(f.Change))
	}
	b.WriteString(generatedNote)
	return b.Bytes()
}

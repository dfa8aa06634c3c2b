package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// cisExpectations is testdata/snapshots/cis/expected.json. Snapshots are
// keyed by file name within cis/. Frameworks gives, for every framework,
// control and snapshot, the control status the audit must report, derived
// from the hand-written check expectations by the framework data's mapping
// and the rule of internal/compliance: MANUAL for a manual control, FAIL if
// a check behind it fails, NOT_ASSESSED if one is not assessed,
// NOT_APPLICABLE if every one is, PASS otherwise.
type cisExpectations struct {
	Checks     []string                                `json:"checks"`
	Snapshots  map[string]expectation                  `json:"snapshots"`
	Frameworks map[string]map[string]map[string]string `json:"frameworks"`
}

// renderCIS adds testdata/snapshots/cis/ to files: the CIS-clean account,
// its variants, README.md and expected.json. It refuses frameworks that
// name a check the scenarios do not cover, and automated controls that no
// scenario makes fail.
func renderCIS(files map[string][]byte) error {
	fws, err := frameworks.Load()
	if err != nil {
		return err
	}
	list := snapshottest.CISScenarios()
	for _, sc := range list {
		if _, dup := files[sc.Path]; dup {
			return fmt.Errorf("scenario %s defined twice", sc.Path)
		}
		for _, id := range append(append(append([]string(nil), sc.Fail...), sc.NotAssessed...), sc.NotApplicable...) {
			if !slices.Contains(snapshottest.CISChecks, id) {
				return fmt.Errorf("scenario %s: unknown check ID %s", sc.Path, id)
			}
		}
		data, err := snapshot.Marshal(sc.Build())
		if err != nil {
			return fmt.Errorf("%s: %w", sc.Path, err)
		}
		if _, err := snapshot.Decode(sc.Path, data); err != nil {
			return err
		}
		files[sc.Path] = data
	}
	exp, err := cisExpected(list, fws)
	if err != nil {
		return err
	}
	out, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		return fmt.Errorf("cis/expected.json: %w", err)
	}
	files["cis/expected.json"] = append(out, '\n')
	files["cis/README.md"] = cisREADME(list, fws)
	return nil
}

func cisName(sc snapshottest.Scenario) string { return strings.TrimPrefix(sc.Path, "cis/") }

func cisExpected(list []snapshottest.Scenario, fws []*frameworks.Framework) (*cisExpectations, error) {
	exp := &cisExpectations{
		Checks:     snapshottest.CISChecks,
		Snapshots:  map[string]expectation{},
		Frameworks: map[string]map[string]map[string]string{},
	}
	for _, sc := range list {
		e := expectation{Fail: sc.Fail, NotAssessed: sc.NotAssessed, NotApplicable: sc.NotApplicable}
		for _, l := range []*[]string{&e.Fail, &e.NotAssessed, &e.NotApplicable} {
			if *l == nil {
				*l = []string{}
			}
		}
		exp.Snapshots[cisName(sc)] = e
	}
	for _, fw := range fws {
		controls := map[string]map[string]string{}
		for _, c := range fw.Controls {
			statuses := map[string]string{}
			failed := false
			for _, id := range c.Checks {
				if !slices.Contains(snapshottest.CISChecks, id) {
					return nil, fmt.Errorf("%s %s names %s, which the CIS scenarios do not cover: add it to snapshottest.CISChecks and a variant that fails it", fw.Name, c.ID, id)
				}
			}
			for _, sc := range list {
				st := controlStatus(c, sc)
				statuses[cisName(sc)] = string(st)
				failed = failed || st == findings.ControlFail
			}
			if c.Automated && !failed {
				return nil, fmt.Errorf("%s %s (%s): no CIS scenario makes it fail; add a one-change variant to snapshottest.CISScenarios", fw.Name, c.ID, strings.Join(c.Checks, ", "))
			}
			controls[c.ID] = statuses
		}
		exp.Frameworks[fw.Name] = controls
	}
	return exp, nil
}

// controlStatus is the status of c on sc by the expectations of its checks.
func controlStatus(c frameworks.Control, sc snapshottest.Scenario) findings.ControlStatus {
	if !c.Automated {
		return findings.ControlManual
	}
	names := func(list []string) bool {
		for _, id := range c.Checks {
			if slices.Contains(list, id) {
				return true
			}
		}
		return false
	}
	switch {
	case names(sc.Fail):
		return findings.ControlFail
	case names(sc.NotAssessed):
		return findings.ControlNotAssessed
	}
	for _, id := range c.Checks {
		if !slices.Contains(sc.NotApplicable, id) {
			return findings.ControlPass
		}
	}
	return findings.ControlNotApplies
}

func cisREADME(list []snapshottest.Scenario, fws []*frameworks.Framework) []byte {
	var b strings.Builder
	b.WriteString(cisIntro)
	b.WriteString("\n| framework | controls | automated | manual | checks named |\n|-----------|----------|-----------|--------|--------------|\n")
	for _, fw := range fws {
		auto, manual, names := fw.Counts()
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d |\n", fw.Name, len(fw.Controls), auto, manual, len(names))
	}
	b.WriteString("\n| file | the one change from cis-clean.json | expected to fail | not assessed | why |\n|------|------------------------------------|------------------|--------------|-----|\n")
	for _, sc := range list {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", cisName(sc), cell(sc.Change), ids(sc.Fail), ids(sc.NotAssessed), cell(sc.Why))
	}
	b.WriteString(generatedNote)
	return []byte(b.String())
}

const cisIntro = `# The CIS-clean account and its one-change variants

` + "`cis-clean.json`" + ` is the guide's compliant account (` + "`../guide-compliant.json`" + `) made clean for CIS AWS Foundations
v5.0, v6.0 and v7.0 (IAM section) and the AWS Security Hub IAM controls, with every source beyond IAM collected
and clean (see ` + "`snapshottest.CISClean`" + `). Every other file is cis-clean.json with exactly one change, and each
automated control of every framework fails in at least one of them.

` + "`expected.json`" + ` holds, for every file, the checks expected to FAIL, to be NOT_ASSESSED and to be NOT_APPLICABLE (every
other check must pass or have nothing to examine), and under "frameworks", for every framework, control and file,
the control status an audit with ` + "`--framework`" + ` must report. The statuses follow from the check expectations, the
frameworks' own files (frameworks/*.yaml) and the rule of internal/compliance; tools/mktestdata refuses a framework
that names a check these scenarios do not cover, or an automated control no scenario makes fail.

Thresholds as the expectations read them: CIS: password length >= 14, reuse prevention >= 24, credentials unused
45 days, keys rotated within 90 days. Security Hub IAM.7 (its defaults): all four character classes, length >= 8,
no reuse or age requirement. IAM.10 (PCI DSS): all four character classes, length >= 7, reuse prevention >= 4,
expiry within 90 days. IAM.8: credentials unused 90 days. IAM.17: expiry within 90 days.
`

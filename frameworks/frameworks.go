// Package frameworks holds the compliance frameworks lockdown judges (CIS
// AWS Foundations, AWS Security Hub) as data: one YAML file per framework,
// embedded in the binary. Each control names the checks that decide it, or
// says why it cannot be automated from a member account. A later CIS
// version keeps a crosswalk to CIS v5.0: which v5.0 control each of its
// controls continues, which are new and which v5.0 controls it dropped.
package frameworks

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var files embed.FS

// CrosswalkBase is the framework a crosswalk refers to: Control.V5 names one
// of its controls.
const CrosswalkBase = "cis-aws-5.0"

// Framework is one compliance framework, controls in the framework's order.
type Framework struct {
	Name     string    `yaml:"name"`    // e.g. cis-aws-5.0
	Title    string    `yaml:"title"`   // e.g. CIS Amazon Web Services Foundations Benchmark
	Version  string    `yaml:"version"` // e.g. 5.0.0
	Source   string    `yaml:"source"`  // where the framework's text is published
	Controls []Control `yaml:"controls"`
	// Crosswalk, for a later version of CIS, relates this framework to
	// CrosswalkBase; nil for the base itself and for other frameworks.
	Crosswalk *Crosswalk `yaml:"crosswalk,omitempty"`
}

// Crosswalk relates a framework's controls to those of an earlier version.
// Each control of the framework says which earlier control it continues
// (Control.V5) or that it is new (Control.New); Dropped lists the earlier
// controls no control continues.
type Crosswalk struct {
	From    string    `yaml:"from"` // always CrosswalkBase
	Dropped []Dropped `yaml:"dropped,omitempty"`
}

// Dropped is an earlier control the framework no longer has.
type Dropped struct {
	ID     string `yaml:"id"`
	Reason string `yaml:"reason"`
}

// Control is one recommendation or control of a framework.
type Control struct {
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	Section string `yaml:"section,omitempty"`
	// Level is the CIS profile (Level 1, Level 2) or the Security Hub severity.
	Level string `yaml:"level"`
	// Automated is whether lockdown decides the control; Checks then names
	// the check IDs that decide it. A manual control has Reason instead.
	Automated bool     `yaml:"automated"`
	Checks    []string `yaml:"checks,omitempty"`
	Reason    string   `yaml:"reason,omitempty"`
	// Note says what a reader of a verdict should know about how the checks
	// decide the control: a narrower scope than the control's text, a
	// stricter reading, a threshold that is a parameter.
	Note string `yaml:"note,omitempty"`
	// V5 is the CIS v5.0 control this control continues (crosswalk only).
	V5 string `yaml:"v5,omitempty"`
	// New marks a control with no CIS v5.0 predecessor (crosswalk only).
	New bool `yaml:"new,omitempty"`
	// ChecksDiffer says why the checks (or automation) differ from those of
	// the V5 control; without it they must be the same.
	ChecksDiffer string `yaml:"checks_differ,omitempty"`
}

// Load reads, strictly, every embedded framework file, sorted by name, and
// checks the crosswalks between them.
func Load() ([]*Framework, error) {
	names, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var out []*Framework
	for _, e := range names {
		if !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		data, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		fw, err := Parse(e.Name(), data)
		if err != nil {
			return nil, err
		}
		out = append(out, fw)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if err := CheckCrosswalks(out); err != nil {
		return nil, err
	}
	return out, nil
}

// Parse decodes one framework file, rejecting unknown keys, and checks its
// shape: a name matching the file name, an https source, unique control
// IDs, every control with a level, every automated control mapped to
// distinct checks and every manual control giving a reason, and a
// crosswalk that is complete within the file (each control continues one
// distinct base control or is new; dropped controls are not continued).
// Whether the named checks exist is checked against the catalogue by the
// caller (see the tests); whether the crosswalk agrees with the base
// framework is checked by CheckCrosswalks.
func Parse(file string, data []byte) (*Framework, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var fw Framework
	if err := dec.Decode(&fw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file", file)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if want := strings.TrimSuffix(path.Base(file), ".yaml"); fw.Name != want {
		return nil, fmt.Errorf("%s: name %q does not match the file name (want %q)", file, fw.Name, want)
	}
	if fw.Title == "" || fw.Version == "" || fw.Source == "" {
		return nil, fmt.Errorf("%s: title, version and source are required", file)
	}
	if !strings.HasPrefix(fw.Source, "https://") {
		return nil, fmt.Errorf("%s: source %q is not an https URL", file, fw.Source)
	}
	if len(fw.Controls) == 0 {
		return nil, fmt.Errorf("%s: no controls", file)
	}
	seen := map[string]bool{}
	for i, c := range fw.Controls {
		where := fmt.Sprintf("%s: controls[%d] (%s)", file, i, c.ID)
		switch {
		case c.ID == "" || c.Title == "":
			return nil, fmt.Errorf("%s: id and title are required", where)
		case seen[c.ID]:
			return nil, fmt.Errorf("%s: duplicate control id", where)
		case strings.TrimSpace(c.Level) == "":
			return nil, fmt.Errorf("%s: level is required", where)
		case c.Automated && len(c.Checks) == 0:
			return nil, fmt.Errorf("%s: automated but names no check", where)
		case c.Automated && c.Reason != "":
			return nil, fmt.Errorf("%s: automated but gives a reason for being manual (use note)", where)
		case !c.Automated && len(c.Checks) > 0:
			return nil, fmt.Errorf("%s: manual but names checks", where)
		case !c.Automated && strings.TrimSpace(c.Reason) == "":
			return nil, fmt.Errorf("%s: manual control without a reason", where)
		}
		for j, id := range c.Checks {
			if strings.TrimSpace(id) == "" {
				return nil, fmt.Errorf("%s: empty check id", where)
			}
			if slices.Contains(c.Checks[:j], id) {
				return nil, fmt.Errorf("%s: check %s named twice", where, id)
			}
		}
		seen[c.ID] = true
	}
	if err := parseCrosswalk(file, &fw); err != nil {
		return nil, err
	}
	return &fw, nil
}

// parseCrosswalk checks what one file can say about its crosswalk.
func parseCrosswalk(file string, fw *Framework) error {
	cw := fw.Crosswalk
	if cw == nil {
		for i, c := range fw.Controls {
			if c.V5 != "" || c.New || c.ChecksDiffer != "" {
				return fmt.Errorf("%s: controls[%d] (%s): v5, new and checks_differ need a crosswalk", file, i, c.ID)
			}
		}
		return nil
	}
	if cw.From != CrosswalkBase {
		return fmt.Errorf("%s: crosswalk from %q: only %s is supported", file, cw.From, CrosswalkBase)
	}
	if fw.Name == CrosswalkBase {
		return fmt.Errorf("%s: the crosswalk base has no crosswalk", file)
	}
	continued := map[string]string{} // base ID -> control ID
	for i, c := range fw.Controls {
		where := fmt.Sprintf("%s: controls[%d] (%s)", file, i, c.ID)
		switch {
		case c.V5 == "" && !c.New:
			return fmt.Errorf("%s: the crosswalk needs v5 (the %s control it continues) or new: true", where, CrosswalkBase)
		case c.V5 != "" && c.New:
			return fmt.Errorf("%s: both v5 and new", where)
		case c.New && c.ChecksDiffer != "":
			return fmt.Errorf("%s: a new control has no earlier checks to differ from", where)
		case c.V5 != "" && continued[c.V5] != "":
			return fmt.Errorf("%s: continues %s %s, which %s already continues", where, CrosswalkBase, c.V5, continued[c.V5])
		}
		if c.V5 != "" {
			continued[c.V5] = c.ID
		}
	}
	dropped := map[string]bool{}
	for i, d := range cw.Dropped {
		where := fmt.Sprintf("%s: crosswalk.dropped[%d] (%s)", file, i, d.ID)
		switch {
		case d.ID == "":
			return fmt.Errorf("%s: id is required", where)
		case strings.TrimSpace(d.Reason) == "":
			return fmt.Errorf("%s: reason is required", where)
		case dropped[d.ID]:
			return fmt.Errorf("%s: listed twice", where)
		case continued[d.ID] != "":
			return fmt.Errorf("%s: dropped, but %s continues it", where, continued[d.ID])
		}
		dropped[d.ID] = true
	}
	return nil
}

// CheckCrosswalks checks each crosswalk against its base framework among
// fws: every v5 and dropped ID is a base control, every base control is
// either continued or dropped, and a continued control is decided the same
// way (automated or not, the same checks) unless checks_differ says why.
// A checks_differ on a control whose checks are the same is an error too.
func CheckCrosswalks(fws []*Framework) error {
	for _, fw := range fws {
		cw := fw.Crosswalk
		if cw == nil {
			continue
		}
		base, ok := ByName(fws, cw.From)
		if !ok {
			return fmt.Errorf("%s: crosswalk from %s, which is not loaded", fw.Name, cw.From)
		}
		byID := map[string]Control{}
		for _, c := range base.Controls {
			byID[c.ID] = c
		}
		accounted := map[string]bool{}
		for _, c := range fw.Controls {
			if c.V5 == "" {
				continue
			}
			b, ok := byID[c.V5]
			if !ok {
				return fmt.Errorf("%s %s: continues %s %s, which does not exist", fw.Name, c.ID, base.Name, c.V5)
			}
			accounted[c.V5] = true
			same := b.Automated == c.Automated && slices.Equal(sortedCopy(b.Checks), sortedCopy(c.Checks))
			switch {
			case !same && c.ChecksDiffer == "":
				return fmt.Errorf("%s %s: decided by %s, but %s %s is decided by %s; give checks_differ or use the same checks",
					fw.Name, c.ID, decidedBy(c), base.Name, b.ID, decidedBy(b))
			case same && c.ChecksDiffer != "":
				return fmt.Errorf("%s %s: checks_differ given, but it is decided like %s %s (%s)", fw.Name, c.ID, base.Name, b.ID, decidedBy(c))
			}
		}
		for _, d := range cw.Dropped {
			if _, ok := byID[d.ID]; !ok {
				return fmt.Errorf("%s: crosswalk drops %s %s, which does not exist", fw.Name, base.Name, d.ID)
			}
			accounted[d.ID] = true
		}
		for _, b := range base.Controls {
			if !accounted[b.ID] {
				return fmt.Errorf("%s: %s %s is neither continued by a control nor listed as dropped", fw.Name, base.Name, b.ID)
			}
		}
	}
	return nil
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func decidedBy(c Control) string {
	if !c.Automated {
		return "nothing (manual)"
	}
	return strings.Join(c.Checks, ", ")
}

// ByName finds a framework among fws.
func ByName(fws []*Framework, name string) (*Framework, bool) {
	for _, fw := range fws {
		if fw.Name == name {
			return fw, true
		}
	}
	return nil, false
}

// ControlsByCheck maps each check ID to the controls it decides, by
// framework name: {"LD-ROOT-01": {"cis-aws-5.0": ["1.4"], ...}}. IDs keep
// the framework's order.
func ControlsByCheck(fws []*Framework) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, fw := range fws {
		for _, c := range fw.Controls {
			for _, id := range c.Checks {
				if out[id] == nil {
					out[id] = map[string][]string{}
				}
				out[id][fw.Name] = append(out[id][fw.Name], c.ID)
			}
		}
	}
	return out
}

// Counts says how many of fw's controls are automated and manual, and
// which checks (sorted, unique) decide them.
func (fw *Framework) Counts() (automated, manual int, checks []string) {
	seen := map[string]bool{}
	for _, c := range fw.Controls {
		if c.Automated {
			automated++
		} else {
			manual++
		}
		for _, id := range c.Checks {
			if !seen[id] {
				seen[id] = true
				checks = append(checks, id)
			}
		}
	}
	sort.Strings(checks)
	return automated, manual, checks
}

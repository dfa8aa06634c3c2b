// Package frameworks holds the compliance frameworks lockdown judges (CIS
// AWS Foundations, AWS Security Hub) as data: one YAML file per framework,
// embedded in the binary. Each control names the checks that decide it, or
// says why it cannot be automated from a member account.
package frameworks

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var files embed.FS

// Framework is one compliance framework, controls in the framework's order.
type Framework struct {
	Name     string    `yaml:"name"`    // e.g. cis-aws-5.0
	Title    string    `yaml:"title"`   // e.g. CIS Amazon Web Services Foundations Benchmark
	Version  string    `yaml:"version"` // e.g. 5.0.0
	Source   string    `yaml:"source"`  // where the framework's text is published
	Controls []Control `yaml:"controls"`
}

// Control is one recommendation or control of a framework.
type Control struct {
	ID      string `yaml:"id"`
	Title   string `yaml:"title"`
	Section string `yaml:"section,omitempty"`
	// Level is the CIS profile (L1, L2) or the Security Hub severity.
	Level string `yaml:"level,omitempty"`
	// Automated is whether lockdown decides the control; Checks then names
	// the check IDs that decide it. A manual control has Reason instead.
	Automated bool     `yaml:"automated"`
	Checks    []string `yaml:"checks,omitempty"`
	Reason    string   `yaml:"reason,omitempty"`
}

// Load reads, strictly, every embedded framework file, sorted by name.
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
	return out, nil
}

// Parse decodes one framework file, rejecting unknown keys, and checks its
// shape: a name matching the file name, unique control IDs, every automated
// control mapped to a check and every manual control giving a reason.
// Whether the named checks exist is checked against the catalogue by the
// caller (see the tests).
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
		case c.Automated && len(c.Checks) == 0:
			return nil, fmt.Errorf("%s: automated but names no check", where)
		case !c.Automated && len(c.Checks) > 0:
			return nil, fmt.Errorf("%s: manual but names checks", where)
		case !c.Automated && strings.TrimSpace(c.Reason) == "":
			return nil, fmt.Errorf("%s: manual control without a reason", where)
		}
		seen[c.ID] = true
	}
	return &fw, nil
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

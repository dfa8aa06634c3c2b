package collect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// AWSConfigError names the file and line of a problem in the AWS CLI
// configuration.
type AWSConfigError struct {
	Path string
	Line int // 0 when the problem is not on one line
	Msg  string
}

func (e *AWSConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}

// ReadAWSConfig reads dir/config and dir/credentials.
func ReadAWSConfig(dir string) (*snapshot.AWSConfig, error) {
	out, err := ReadAWSConfigFiles(filepath.Join(dir, "config"), filepath.Join(dir, "credentials"))
	if out != nil {
		out.Dir = dir
	}
	return out, err
}

// ReadAWSConfigFiles reads the AWS CLI config and credentials files (their
// paths are recorded in ConfigFile and CredentialsFile) and
// returns, per profile, the settings lockdown checks: never a secret access
// key or a session token, only whether a token is there. A missing file is
// not an error (its Found flag is false). On a malformed file it returns
// what it read from the other one and an *AWSConfigError.
func ReadAWSConfigFiles(configPath, credentialsPath string) (*snapshot.AWSConfig, error) {
	out := &snapshot.AWSConfig{Dir: filepath.Dir(credentialsPath), ConfigFile: configPath, CredentialsFile: credentialsPath}
	var errs []error

	cfgSections, found, err := readINI(configPath)
	out.ConfigFileFound = found
	if err != nil {
		errs = append(errs, err)
	}
	credSections, found, err := readINI(credentialsPath)
	out.CredentialsFileFound = found
	if err != nil {
		errs = append(errs, err)
	}
	if found {
		if st, err := os.Stat(credentialsPath); err == nil {
			out.CredentialsFileMode = fmt.Sprintf("%04o", st.Mode().Perm())
		}
	}

	profiles := map[string]*snapshot.AWSProfile{}
	get := func(name string) *snapshot.AWSProfile {
		p := profiles[name]
		if p == nil {
			p = &snapshot.AWSProfile{Name: name}
			profiles[name] = p
		}
		return p
	}
	ssoSessions := map[string]iniSection{}
	for _, s := range cfgSections {
		if name, ok := strings.CutPrefix(s.name, "sso-session "); ok {
			ssoSessions[strings.TrimSpace(name)] = s
		}
	}
	// Config file: [default] and [profile NAME]; other sections (sso-session,
	// services, plain names) are not profiles there.
	for _, s := range cfgSections {
		name, ok := configProfileName(s.name)
		if !ok {
			continue
		}
		if err := applySettings(get(name), s, configPath, ssoSessions); err != nil {
			errs = append(errs, err)
		}
	}
	// Credentials file: every section is a profile; its keys take
	// precedence over the config file's, as in the AWS CLI.
	for _, s := range credSections {
		if err := applySettings(get(s.name), s, credentialsPath, nil); err != nil {
			errs = append(errs, err)
		}
	}

	names := make([]string, 0, len(profiles))
	for n := range profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out.Profiles = append(out.Profiles, *profiles[n])
	}
	return out, errors.Join(errs...)
}

func configProfileName(section string) (string, bool) {
	if section == "default" {
		return "default", true
	}
	if name, ok := strings.CutPrefix(section, "profile "); ok {
		if name = strings.TrimSpace(name); name != "" {
			return name, true
		}
	}
	return "", false
}

func applySettings(p *snapshot.AWSProfile, s iniSection, path string, ssoSessions map[string]iniSection) error {
	set := func(dst *string, key string) {
		if v, ok := s.keys[key]; ok {
			*dst = v.value
		}
	}
	set(&p.RoleARN, "role_arn")
	set(&p.SourceProfile, "source_profile")
	set(&p.MFASerial, "mfa_serial")
	set(&p.CredentialSource, "credential_source")
	set(&p.AccessKeyID, "aws_access_key_id")
	set(&p.SSOStartURL, "sso_start_url")
	if sess, ok := s.keys["sso_session"]; ok && p.SSOStartURL == "" {
		if ss, ok := ssoSessions[sess.value]; ok {
			if u, ok := ss.keys["sso_start_url"]; ok {
				p.SSOStartURL = u.value
			}
		}
	}
	for _, k := range []string{"aws_session_token", "aws_security_token"} {
		if v, ok := s.keys[k]; ok && v.value != "" {
			p.HasSessionToken = true
		}
	}
	if v, ok := s.keys["duration_seconds"]; ok && v.value != "" {
		n, err := strconv.ParseInt(v.value, 10, 32)
		if err != nil || n <= 0 {
			return &AWSConfigError{Path: path, Line: v.line, Msg: fmt.Sprintf("profile %q: duration_seconds %q is not a positive whole number of seconds", p.Name, v.value)}
		}
		d := int32(n)
		p.DurationSeconds = &d
	}
	return nil
}

type iniValue struct {
	value string
	line  int
}

type iniSection struct {
	name string
	keys map[string]iniValue
}

// readINI parses an AWS CLI configuration file. A missing file gives no
// sections, found=false and no error.
func readINI(path string) ([]iniSection, bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, &AWSConfigError{Path: path, Msg: err.Error()}
	}
	secs, err := parseINI(path, string(data))
	return secs, true, err
}

// parseINI follows the AWS CLI's format: "[section]" headers, "key = value"
// lines, full-line comments starting with # or ;, inline comments only
// after whitespace (an SSO start URL may contain "#"), key names case
// insensitive, and indented lines after a key belonging to that key (nested
// settings such as "s3 =" blocks, or continuation lines), which are skipped.
// Sections repeated in one file are merged, later keys winning. On a
// malformed line it returns the sections read so far and an error naming
// the line.
func parseINI(path, text string) ([]iniSection, error) {
	var secs []iniSection
	index := map[string]int{}
	cur := -1
	haveKey := false
	text = strings.TrimPrefix(text, "\ufeff")
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line := i + 1
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if haveKey && (raw[0] == ' ' || raw[0] == '\t') {
			continue // nested setting or continuation of the previous key
		}
		if trimmed[0] == '[' {
			header := stripInlineComment(trimmed)
			if !strings.HasSuffix(header, "]") {
				return secs, &AWSConfigError{Path: path, Line: line, Msg: fmt.Sprintf("section header %q has no closing ]", trimmed)}
			}
			name := strings.Join(strings.Fields(header[1:len(header)-1]), " ")
			if name == "" {
				return secs, &AWSConfigError{Path: path, Line: line, Msg: "empty section name"}
			}
			if j, ok := index[name]; ok {
				cur = j
			} else {
				index[name] = len(secs)
				cur = len(secs)
				secs = append(secs, iniSection{name: name, keys: map[string]iniValue{}})
			}
			haveKey = false
			continue
		}
		key, value, ok := strings.Cut(trimmed, "=")
		if !ok {
			return secs, &AWSConfigError{Path: path, Line: line, Msg: "expected \"key = value\" or a [section] header"}
		}
		key = strings.ToLower(strings.TrimSpace(key))
		if key == "" {
			return secs, &AWSConfigError{Path: path, Line: line, Msg: "setting without a name before ="}
		}
		if cur < 0 {
			return secs, &AWSConfigError{Path: path, Line: line, Msg: fmt.Sprintf("setting %q comes before any [section] header", key)}
		}
		secs[cur].keys[key] = iniValue{value: stripInlineComment(strings.TrimSpace(value)), line: line}
		haveKey = true
	}
	return secs, nil
}

// stripInlineComment drops " # ..." or " ; ..." (whitespace first).
func stripInlineComment(v string) string {
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i])
		}
	}
	return v
}

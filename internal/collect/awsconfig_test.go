package collect

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const (
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"
	testToken  = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue"
)

func writeAWSDir(t *testing.T, config, credentials string, credMode os.FileMode) string {
	t.Helper()
	dir := t.TempDir()
	if config != "" {
		if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if credentials != "" {
		p := filepath.Join(dir, "credentials")
		if err := os.WriteFile(p, []byte(credentials), credMode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, credMode); err != nil { // umask may have masked bits
			t.Fatal(err)
		}
	}
	return dir
}

func profileByName(t *testing.T, cfg *snapshot.AWSConfig, name string) snapshot.AWSProfile {
	t.Helper()
	for _, p := range cfg.Profiles {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("profile %q not found in %+v", name, cfg.Profiles)
	return snapshot.AWSProfile{}
}

const sampleConfig = `# lockdown test config
[default]
region = eu-west-1
output = json

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin   ; the admin role
source_profile = default
mfa_serial = arn:aws:iam::111122223333:mfa/alice
Duration_Seconds = 3600
s3 =
    max_concurrent_requests = 20
    role_arn = arn:aws:iam::999999999999:role/NotThis

[profile ec2]
role_arn = arn:aws:iam::111122223333:role/Reader
credential_source = Ec2InstanceMetadata

[profile sso-legacy]
sso_start_url = https://example.awsapps.com/start#/
sso_region = us-east-1

[profile sso-new]
sso_session = corp
sso_account_id = 111122223333

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[services local]
iam =
  endpoint_url = http://127.0.0.1:4566

[notaprofile]
role_arn = arn:aws:iam::111122223333:role/Ignored
`

const sampleCredentials = `[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = ` + testSecret + `

[temp]
aws_access_key_id=ASIAIOSFODNN7EXAMPLE
aws_secret_access_key=` + testSecret + `
aws_session_token=` + testToken + `
`

func TestReadAWSConfig(t *testing.T) {
	dir := writeAWSDir(t, sampleConfig, sampleCredentials, 0o644)
	cfg, err := ReadAWSConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != dir || !cfg.ConfigFileFound || !cfg.CredentialsFileFound || cfg.CredentialsFileMode != "0644" {
		t.Errorf("files = %+v", cfg)
	}
	var names []string
	for _, p := range cfg.Profiles {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "admin,default,ec2,sso-legacy,sso-new,temp" {
		t.Errorf("profiles = %s", got)
	}
	admin := profileByName(t, cfg, "admin")
	if admin.RoleARN != "arn:aws:iam::111122223333:role/Admin" || admin.SourceProfile != "default" ||
		admin.MFASerial != "arn:aws:iam::111122223333:mfa/alice" || admin.DurationSeconds == nil || *admin.DurationSeconds != 3600 {
		t.Errorf("admin = %+v", admin)
	}
	if ec2 := profileByName(t, cfg, "ec2"); ec2.CredentialSource != "Ec2InstanceMetadata" || ec2.MFASerial != "" {
		t.Errorf("ec2 = %+v", ec2)
	}
	if p := profileByName(t, cfg, "sso-legacy"); p.SSOStartURL != "https://example.awsapps.com/start#/" {
		t.Errorf("sso-legacy start URL = %q", p.SSOStartURL)
	}
	if p := profileByName(t, cfg, "sso-new"); p.SSOStartURL != "https://corp.awsapps.com/start" {
		t.Errorf("sso-new start URL (from its sso-session) = %q", p.SSOStartURL)
	}
	if d := profileByName(t, cfg, "default"); d.AccessKeyID != "AKIAIOSFODNN7EXAMPLE" || d.HasSessionToken {
		t.Errorf("default = %+v", d)
	}
	if tmp := profileByName(t, cfg, "temp"); tmp.AccessKeyID != "ASIAIOSFODNN7EXAMPLE" || !tmp.HasSessionToken {
		t.Errorf("temp = %+v", tmp)
	}

	s := &snapshot.Snapshot{Schema: snapshot.SchemaV1, Sources: map[string]snapshot.SourceStatus{}, AWSConfig: cfg}
	data, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testSecret, testToken, "SECRETKEY", "SESSIONTOKEN"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("marshalled snapshot contains a secret (%q)", secret)
		}
	}
}

func TestReadAWSConfigPermissionsAndMissingFiles(t *testing.T) {
	dir := writeAWSDir(t, "", sampleCredentials, 0o600)
	cfg, err := ReadAWSConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConfigFileFound || !cfg.CredentialsFileFound || cfg.CredentialsFileMode != "0600" {
		t.Errorf("files = %+v", cfg)
	}

	empty, err := ReadAWSConfig(t.TempDir())
	if err != nil || empty.ConfigFileFound || empty.CredentialsFileFound || len(empty.Profiles) != 0 || empty.CredentialsFileMode != "" {
		t.Errorf("empty dir: %+v, %v", empty, err)
	}
}

func TestReadAWSConfigMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, config string
		line         int
		msg          string
	}{
		{"unclosed header", "[default]\nregion = x\n[profile broken\nrole_arn = y\n", 3, "no closing ]"},
		{"no equals", "[default]\nregion\n", 2, "key = value"},
		{"before section", "region = x\n[default]\n", 1, "before any [section]"},
		{"bad duration", "[profile a]\nduration_seconds = 1h\n", 2, "duration_seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeAWSDir(t, tc.config, sampleCredentials, 0o600)
			cfg, err := ReadAWSConfig(dir)
			var ce *AWSConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *AWSConfigError", err)
			}
			if ce.Line != tc.line || ce.Path != filepath.Join(dir, "config") || !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("error = %q, want %s line %d mentioning %q", err, filepath.Join(dir, "config"), tc.line, tc.msg)
			}
			// The credentials file was still read.
			if cfg == nil || profileByName(t, cfg, "temp").AccessKeyID != "ASIAIOSFODNN7EXAMPLE" {
				t.Errorf("credentials lost: %+v", cfg)
			}
		})
	}
}

func TestCollectRecordsAWSConfig(t *testing.T) {
	startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	opts := fastOptions()
	opts.AWSConfigDir = writeAWSDir(t, "[default]\nregion = x\n[profile bad\n", sampleCredentials, 0o640)
	snap := mustCollect(t, opts)
	st := requireError(t, snap, snapshot.SourceAWSConfig, "MalformedAWSConfig", "config:3")
	if !st.Partial || snap.AWSConfig == nil || snap.AWSConfig.CredentialsFileMode != "0640" {
		t.Errorf("aws_config status %+v, config %+v", st, snap.AWSConfig)
	}
	requireOK(t, snap, allSources()...)
	data, _ := snapshot.Marshal(snap)
	if strings.Contains(string(data), testSecret) || strings.Contains(string(data), testToken) {
		t.Errorf("snapshot contains a secret")
	}
}

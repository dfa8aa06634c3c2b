package redact

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

const (
	secretKey    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	keyID        = "AKIAIOSFODNN7EXAMPLE"
	sessionToken = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexample+TOKEN/0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz=="
	jwtToken     = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA"
)

func TestStringRemovesSecrets(t *testing.T) {
	cases := []struct {
		name, in string
		gone     []string // must not survive
		kept     []string // must survive
	}{
		{"json", `{"Version": 1, "AccessKeyId": "` + keyID + `", "SecretAccessKey": "` + secretKey + `", "SessionToken": "short-token-value"`,
			[]string{secretKey, "short-token-value"}, []string{keyID, `"SecretAccessKey": "[REDACTED]"`, `"SessionToken": "[REDACTED]"`}},
		{"json compact escaped", `{"Token":"abc\"def","Password":"p@ss word"}`, []string{`abc\"def`, "p@ss word"}, []string{`"Token":"[REDACTED]"`}},
		{"ini", "[default]\naws_access_key_id = " + keyID + "\naws_secret_access_key = notshapedlikeakey\naws_session_token=tok123\n",
			[]string{"notshapedlikeakey", "tok123"}, []string{keyID, "aws_secret_access_key = [REDACTED]"}},
		{"env", "AWS_SECRET_ACCESS_KEY=abc AWS_SESSION_TOKEN=def AWS_ACCESS_KEY_ID=" + keyID, []string{"abc ", "=def"}, []string{keyID}},
		{"quoted", `SecretAccessKey="s3cr3t value" password: 'hunter two' token = "t0k"`, []string{"s3cr3t value", "hunter two", "t0k"}, nil},
		{"go struct", `{AccessKeyID:` + keyID + ` SecretAccessKey:plainsecret SessionToken:plaintoken}`, []string{"plainsecret", "plaintoken"}, []string{keyID}},
		{"xml", `<Credentials><AccessKeyId>` + keyID + `</AccessKeyId><SecretAccessKey>xmlsecret</SecretAccessKey><SessionToken>xmltoken</SessionToken></Credentials>`,
			[]string{"xmlsecret", "xmltoken"}, []string{keyID}},
		{"header", "Authorization: AWS4-HMAC-SHA256 Credential=" + keyID + "/20261127/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0123abcd\nX-Amz-Security-Token: headertoken\nHost: iam.amazonaws.com",
			[]string{"0123abcd", "headertoken", "SignedHeaders"}, []string{"Host: iam.amazonaws.com"}},
		{"query", "https://example.com/?X-Amz-Credential=" + keyID + "%2F20261127&X-Amz-Signature=deadbeef&X-Amz-Security-Token=querytoken&x=1",
			[]string{"deadbeef", "querytoken"}, []string{keyID, "x=1"}},
		{"bare secret key", "failed with key " + secretKey + ".", []string{secretKey}, []string{"failed with key [REDACTED]."}},
		{"bare session token", "token " + sessionToken + " expired", []string{sessionToken, "IQoJb3JpZ2lu"}, []string{"expired"}},
		{"absolute paths are the user's text", "rules directory /tmp/TestBadRulesNameTheFile12294860/003: no .rego files; /home/runner/work/Repo/Repo/testdata/snapshots/AccountSnapshots2026/Production/Region1/Latest/Verified/Full/ok",
			nil, []string{"/tmp/TestBadRulesNameTheFile12294860/003", "/home/runner/work/Repo/Repo/testdata/snapshots/AccountSnapshots2026/Production/Region1/Latest/Verified/Full/ok"}},
		{"jwt", "web identity token " + jwtToken + " rejected", []string{jwtToken, "eyJ"}, []string{"rejected"}},
		{"sso cache", `{"accessToken": "aoaAAAAAGexample", "clientSecret": "cs", "refreshToken": "rt", "startUrl": "https://x.awsapps.com/start#/"}`,
			[]string{"aoaAAAAAGexample", `"cs"`, `"rt"`}, []string{"https://x.awsapps.com/start#/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := String(tc.in)
			for _, g := range tc.gone {
				if strings.Contains(got, g) {
					t.Errorf("String(%q) = %q still contains %q", tc.in, got, g)
				}
			}
			for _, k := range tc.kept {
				if !strings.Contains(got, k) {
					t.Errorf("String(%q) = %q lost %q", tc.in, got, k)
				}
			}
			if String(got) != got {
				t.Errorf("not idempotent: %q -> %q", got, String(got))
			}
		})
	}
}

func TestStringKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: iamtest-00000001, api error InvalidClientTokenId: The security token included in the request is invalid.",
		"authorization_details: iam:GetAccountAuthorizationDetails AccessDenied: 8 checks not assessed",
		"User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: iam:GetAccountSummary on resource: *",
		"access key " + keyID + " and ASIAIOSFODNN7EXAMPLE",
		"commit 3f786850e387550fdab836ed7e6dc881de23001b", // 40 hex digits, lower case
		"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"/home/runner/.aws/credentials:3: expected \"key = value\" or a [section] header",
		"profile \"prod\": duration_seconds \"abc\" is not a positive whole number of seconds",
		"",
	} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
}

type codeErr struct{ code string }

func (e *codeErr) Error() string { return e.code + ": SecretAccessKey=" + secretKey }

func TestError(t *testing.T) {
	if Error(nil) != nil {
		t.Fatal("Error(nil) != nil")
	}
	inner := &codeErr{code: "X"}
	err := Error(fmt.Errorf("loading: %w: %w", inner, fs.ErrNotExist))
	if strings.Contains(err.Error(), secretKey) || !strings.Contains(err.Error(), "loading: X: SecretAccessKey=[REDACTED]") {
		t.Errorf("Error() = %q", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is lost")
	}
	var ce *codeErr
	if !errors.As(err, &ce) || ce.code != "X" {
		t.Error("errors.As lost")
	}
	if Error(err) != err {
		t.Error("redacting twice wraps twice")
	}
	if !errors.Is(Error(context.DeadlineExceeded), context.DeadlineExceeded) {
		t.Error("sentinel lost")
	}
}

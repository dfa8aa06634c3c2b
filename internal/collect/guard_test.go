package collect

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
)

// guardedClients builds IAM and STS clients the way the collector does,
// with static dummy credentials and the loopback server as endpoint.
func guardedClients(t *testing.T) (*iamtest.Server, *iam.Client, *sts.Client) {
	t.Helper()
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	acct := iamtest.GenerateAccount(testAccountID, 2)
	srv := iamtest.NewServer(t, acct)
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "dummy-secret", ""),
	}
	ic := iam.NewFromConfig(cfg, func(o *iam.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceIAM))
	})
	sc := sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceSTS))
	})
	return srv, ic, sc
}

func requireRefused(t *testing.T, srv *iamtest.Server, service, op string, err error) {
	t.Helper()
	var ro *ReadOnlyError
	if !errors.As(err, &ro) {
		t.Fatalf("%s: err = %v, want *ReadOnlyError", op, err)
	}
	if ro.Operation != op || ro.Service != service || !strings.Contains(err.Error(), op) {
		t.Errorf("%s: error %q does not name the operation", op, err)
	}
	if n := srv.Count(op); n != 0 {
		t.Errorf("%s reached the server %d times", op, n)
	}
}

func TestGuardRefusesWritesBeforeSending(t *testing.T) {
	srv, ic, sc := guardedClients(t)
	ctx := context.Background()

	_, err := ic.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	requireRefused(t, srv, ServiceIAM, "CreateUser", err)
	_, err = ic.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE"), UserName: aws.String("alice")})
	requireRefused(t, srv, ServiceIAM, "DeleteAccessKey", err)
	_, err = ic.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	requireRefused(t, srv, ServiceIAM, "AttachUserPolicy", err)
	_, err = ic.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{})
	requireRefused(t, srv, ServiceIAM, "UpdateAccountPasswordPolicy", err)
	_, err = ic.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{Arn: aws.String("arn:aws:iam::111122223333:user/alice")})
	requireRefused(t, srv, ServiceIAM, "GenerateServiceLastAccessedDetails", err)
	_, err = sc.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	requireRefused(t, srv, ServiceSTS, "GetSessionToken", err)
	_, err = sc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/Admin"), RoleSessionName: aws.String("x")})
	requireRefused(t, srv, ServiceSTS, "AssumeRole", err)
	if srv.Total() != 0 {
		t.Fatalf("refused operations reached the server: %v", srv.Counts())
	}

	// Reads pass.
	out, err := ic.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("user00001")})
	if err != nil || aws.ToString(out.User.UserName) != "user00001" {
		t.Fatalf("GetUser through the guard: %v", err)
	}
	if _, err := ic.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
		t.Fatalf("GetAccountSummary through the guard: %v", err)
	}
	if _, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity through the guard: %v", err)
	}
	if srv.Count("GetUser") != 1 || srv.Count("GetCallerIdentity") != 1 {
		t.Errorf("reads did not reach the server: %v", srv.Counts())
	}
}

// TestCollectorClientsAreGuarded checks the clients Collect builds carry the
// guard (not only clients built for this test).
func TestCollectorClientsAreGuarded(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	cfg, _, err := loadConfig(context.Background(), fastOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(cfg, fastOptions())
	_, err = c.iam.DeleteUser(context.Background(), &iam.DeleteUserInput{UserName: aws.String("user00000")})
	requireRefused(t, srv, ServiceIAM, "DeleteUser", err)
	_, err = c.sts.GetFederationToken(context.Background(), &sts.GetFederationTokenInput{Name: aws.String("x")})
	requireRefused(t, srv, ServiceSTS, "GetFederationToken", err)
	if srv.Total() != 0 {
		t.Errorf("server saw %v", srv.Counts())
	}
}

func TestAllowedOperation(t *testing.T) {
	for _, tc := range []struct {
		service, op string
		want        bool
	}{
		{ServiceIAM, "GetAccountAuthorizationDetails", true},
		{ServiceIAM, "ListUsers", true},
		{ServiceIAM, "SimulatePrincipalPolicy", true},
		{ServiceIAM, "GenerateCredentialReport", true},
		{ServiceIAM, "GenerateServiceLastAccessedDetails", false},
		{ServiceIAM, "CreateAccessKey", false},
		{ServiceIAM, "PutUserPolicy", false},
		{ServiceIAM, "TagUser", false},
		{ServiceIAM, "Get", false},
		{ServiceIAM, "", false},
		{ServiceIAM, "getUser", false},
		{ServiceSTS, "GetCallerIdentity", true},
		{ServiceSTS, "GetSessionToken", false},
		{ServiceSTS, "AssumeRole", false},
		{"s3", "GetObject", false},
		{ServiceAccount, "GetAlternateContact", true},
		{ServiceAccount, "ListRegions", true},
		{ServiceAccount, "PutAlternateContact", false},
		{ServiceAccount, "DeleteAlternateContact", false},
		{ServiceAccount, "EnableRegion", false},
		{ServiceAccount, "AcceptPrimaryEmailUpdate", false},
		{ServiceAccessAnalyzer, "ListAnalyzers", true},
		{ServiceAccessAnalyzer, "CreateAnalyzer", false},
		{ServiceAccessAnalyzer, "StartResourceScan", false},
		{ServiceAccessAnalyzer, "ApplyArchiveRule", false},
		{ServiceAccessAnalyzer, "Listed", false},
		{ServiceEC2, "DescribeInstances", true},
		{ServiceEC2, "DescribeRegions", true},
		{ServiceEC2, "GetPasswordData", false},
		{ServiceEC2, "GetConsoleOutput", false},
		{ServiceEC2, "RunInstances", false},
		{ServiceEC2, "TerminateInstances", false},
		{ServiceEC2, "Describe", false},
		{ServiceEC2, "ListImagesInRecycleBin", false},
		{ServiceIAM, "Getaway", false},
		{ServiceLambda, "ListFunctions", true},
		{ServiceLambda, "Invoke", false},
		{ServiceLambda, "InvokeAsync", false},
		{ServiceLambda, "InvokeWithResponseStream", false},
		{ServiceLambda, "UpdateFunctionCode", false},
		{ServiceLambda, "UpdateFunctionConfiguration", false},
		{ServiceLambda, "CreateFunction", false},
		{ServiceLambda, "AddPermission", false},
		{ServiceLambda, "GetFunction", false},
		{ServiceLambda, "GetFunctionConfiguration", false},
		{ServiceLambda, "List", false},
		{ServiceLambda, "Listen", false},
	} {
		if got := AllowedOperation(tc.service, tc.op); got != tc.want {
			t.Errorf("AllowedOperation(%q, %q) = %v, want %v", tc.service, tc.op, got, tc.want)
		}
	}
	for _, op := range Operations {
		if !AllowedOperation(op.Service, op.Name) {
			t.Errorf("the guard refuses %s, which the collectors call", op.Action())
		}
	}
}

func TestRegionDefault(t *testing.T) {
	startServer(t, iamtest.NewAccount(testAccountID))
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	cfg, _, err := loadConfig(context.Background(), fastOptions().withDefaults())
	if err != nil || cfg.Region != DefaultRegion {
		t.Errorf("no region configured: got %q, %v; want %s", cfg.Region, err, DefaultRegion)
	}
	t.Setenv("AWS_REGION", "eu-west-1")
	cfg, _, _ = loadConfig(context.Background(), fastOptions().withDefaults())
	if cfg.Region != "eu-west-1" {
		t.Errorf("AWS_REGION ignored: %q", cfg.Region)
	}
	opts := fastOptions()
	opts.Region = "cn-north-1"
	cfg, _, _ = loadConfig(context.Background(), opts.withDefaults())
	if cfg.Region != "cn-north-1" {
		t.Errorf("Options.Region ignored: %q", cfg.Region)
	}
}

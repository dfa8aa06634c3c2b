package collect

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func lambdaFunctionsOf(region string, n int) []snapshot.LambdaFunction {
	out := make([]snapshot.LambdaFunction, n)
	for i := range out {
		name := fmt.Sprintf("fn-%s-%04d", region, i)
		out[i] = snapshot.LambdaFunction{
			ARN:  "arn:aws:lambda:" + region + ":" + testAccountID + ":function:" + name,
			Name: name,
			Role: fmt.Sprintf("arn:aws:iam::%s:role/service-role/exec-%d", testAccountID, i%3),
		}
	}
	return out
}

func lambdaRegion(t *testing.T, snap *snapshot.Snapshot, region string) snapshot.LambdaRegion {
	t.Helper()
	for _, r := range snap.LambdaFunctions {
		if r.Region == region {
			return r
		}
	}
	t.Fatalf("no lambda_functions entry for %s", region)
	return snapshot.LambdaRegion{}
}

// TestLambdaFunctionsPaged: every page of every enabled region is read,
// 50 functions a page (MaxItems 50, the Marker of each NextMarker), and
// only ARN, name and role are kept: the environment variables that
// ListFunctions answers with never reach the snapshot.
func TestLambdaFunctionsPaged(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	acct.LambdaFunctions["eu-west-1"] = lambdaFunctionsOf("eu-west-1", 120)
	acct.LambdaFunctions["us-east-1"] = lambdaFunctionsOf("us-east-1", 1)
	srv := startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, everySource()...)

	if len(snap.LambdaFunctions) != len(snapshottest.EnabledByDefaultRegions) {
		t.Fatalf("%d lambda regions, want %d", len(snap.LambdaFunctions), len(snapshottest.EnabledByDefaultRegions))
	}
	for _, r := range snap.LambdaFunctions {
		want := acct.LambdaFunctions[r.Region]
		if want == nil {
			want = []snapshot.LambdaFunction{}
		}
		sameJSON(t, "functions in "+r.Region, r.Functions, want)
		wantReq := max(1, (len(want)+49)/50)
		if r.Error != nil || r.Requests != wantReq {
			t.Errorf("%s: %d requests, error %+v; want %d and none", r.Region, r.Requests, r.Error, wantReq)
		}
	}
	if n := srv.CountIn("ListFunctions", "eu-west-1"); n < 3 || n > 4 {
		t.Errorf("server saw %d ListFunctions in eu-west-1, want 3 pages", n)
	}
	reqs := srv.Requests("ListFunctions")
	markers := 0
	for _, q := range reqs {
		if q.Get("MaxItems") != "50" {
			t.Errorf("ListFunctions MaxItems = %q, want 50", q.Get("MaxItems"))
		}
		if q.Get("FunctionVersion") != "" || q.Get("MasterRegion") != "" {
			t.Errorf("ListFunctions asked for more than the latest functions: %v", q)
		}
		if q.Get("Marker") != "" {
			markers++
		}
	}
	if markers < 2 {
		t.Errorf("%d requests carried a Marker, want the 2 further pages of eu-west-1", markers)
	}
	data, err := snapshot.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, leaked := range []string{iamtest.LambdaSecret, "DB_PASSWORD", "python3.12", "CodeSha256"} {
		if strings.Contains(string(data), leaked) {
			t.Errorf("the snapshot holds %q from a function's configuration", leaked)
		}
	}
	if st := snap.Sources[snapshot.SourceLambdaFunctions]; st.Requests != 19 {
		t.Errorf("source requests = %d, want 19 (15 regions with one page, eu-west-1 with 3, us-east-1 with 1)", st.Requests)
	}
}

// TestLambdaRegionFails: a region that fails keeps only its own error;
// every other region's functions are kept and the source is partial.
func TestLambdaRegionFails(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 3)
	acct.LambdaFunctions["eu-west-1"] = lambdaFunctionsOf("eu-west-1", 2)
	acct.LambdaFunctions["ap-south-1"] = lambdaFunctionsOf("ap-south-1", 2)
	srv := startServer(t, acct)
	srv.DenyAccessIn("ListFunctions", "ap-south-1")
	snap := mustCollect(t, fastOptions())
	requireOthersOK(t, snap, snapshot.SourceLambdaFunctions)
	st := requireError(t, snap, snapshot.SourceLambdaFunctions, "AccessDeniedException", "1 of 17 regions", "ap-south-1 (AccessDeniedException)")
	if !st.Partial || st.Error.Action != listFunctions {
		t.Errorf("status %+v: want partial, action %s", st, listFunctions)
	}
	for _, r := range snap.LambdaFunctions {
		switch {
		case r.Region == "ap-south-1":
			if r.Error == nil || r.Error.Code != "AccessDeniedException" || r.Error.Action != listFunctions || r.Functions == nil || len(r.Functions) != 0 {
				t.Errorf("failed region entry = %+v", r)
			}
		case r.Error != nil:
			t.Errorf("region %s: error %+v", r.Region, r.Error)
		}
	}
	sameJSON(t, "eu-west-1", lambdaRegion(t, snap, "eu-west-1").Functions, acct.LambdaFunctions["eu-west-1"])
	if n := srv.CountIn("ListFunctions", "ap-south-1"); n != 1 {
		t.Errorf("ap-south-1: %d requests, want 1 (access denied is not retried)", n)
	}

	t.Run("throttled, retried", func(t *testing.T) {
		srv := startServer(t, acct)
		srv.FailIn("ListFunctions", "eu-west-1", "TooManyRequestsException", "Rate exceeded", 0)
		opts := fastOptions()
		opts.standardRetry = true
		opts.MaxAttempts = 3
		snap := mustCollect(t, opts)
		requireError(t, snap, snapshot.SourceLambdaFunctions, "TooManyRequestsException", "eu-west-1 (TooManyRequestsException)")
		if n := srv.CountIn("ListFunctions", "eu-west-1"); n != 3 {
			t.Errorf("eu-west-1: %d attempts, want 3", n)
		}
		if r := lambdaRegion(t, snap, "ap-south-1"); r.Error != nil || len(r.Functions) != 2 {
			t.Errorf("ap-south-1 = %+v, want its 2 functions", r)
		}
	})
	t.Run("bad marker keeps the first page", func(t *testing.T) {
		acct := iamtest.GenerateAccount(testAccountID, 3)
		acct.LambdaFunctions["eu-west-1"] = lambdaFunctionsOf("eu-west-1", 70)
		srv := startServer(t, acct)
		srv.BreakPages("ListFunctions", iamtest.PageBadMarker)
		snap := mustCollect(t, fastOptions())
		st := requireError(t, snap, snapshot.SourceLambdaFunctions, "InvalidParameterValueException", "eu-west-1")
		if !st.Partial {
			t.Error("partial not set")
		}
		if r := lambdaRegion(t, snap, "eu-west-1"); len(r.Functions) != 50 || r.Error == nil || r.Requests != 2 {
			t.Errorf("eu-west-1 kept %d functions after %d requests (error %+v), want the first page of 50", len(r.Functions), r.Requests, r.Error)
		}
	})
	t.Run("endless listing is bounded", func(t *testing.T) {
		acct := iamtest.GenerateAccount(testAccountID, 3)
		acct.LambdaFunctions["eu-west-1"] = lambdaFunctionsOf("eu-west-1", 2)
		srv := startServer(t, acct)
		srv.BreakPages("ListFunctions", iamtest.PageEndless)
		snap := mustCollect(t, fastOptions())
		requireError(t, snap, snapshot.SourceLambdaFunctions, "PaginationLimit", "17 of 17 regions")
		if n := srv.Count("ListFunctions"); n < 17*maxFunctionPages || n > 17*maxFunctionPages+3 {
			t.Errorf("%d ListFunctions requests, want %d (the bound in each region)", n, 17*maxFunctionPages)
		}
	})
	t.Run("malformed function", func(t *testing.T) {
		acct := iamtest.GenerateAccount(testAccountID, 3)
		fns := lambdaFunctionsOf("eu-west-1", 2)
		fns[1].Role = "not-an-arn"
		acct.LambdaFunctions["eu-west-1"] = fns
		startServer(t, acct)
		snap := mustCollect(t, fastOptions())
		requireError(t, snap, snapshot.SourceLambdaFunctions, "MalformedResponse", "eu-west-1", "is not an ARN")
		if r := lambdaRegion(t, snap, "eu-west-1"); len(r.Functions) != 1 || r.Error == nil {
			t.Errorf("eu-west-1 = %+v, want the well-formed function and an error", r)
		}
	})
}

// TestLambdaGuard: the collector's Lambda client refuses every call but
// List* before it is sent (Invoke and UpdateFunctionCode run or replace
// code; GetFunction's answer carries a presigned URL to the code).
func TestLambdaGuard(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	cfg, _, err := loadConfig(context.Background(), fastOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(cfg, fastOptions())
	cl := c.lambda("eu-west-1")
	ctx := context.Background()
	_, err = cl.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("fn")})
	requireRefused(t, srv, ServiceLambda, "Invoke", err)
	_, err = cl.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: []byte("PK")})
	requireRefused(t, srv, ServiceLambda, "UpdateFunctionCode", err)
	_, err = cl.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"),
		Environment: &lambdatypes.Environment{Variables: map[string]string{"A": "b"}}})
	requireRefused(t, srv, ServiceLambda, "UpdateFunctionConfiguration", err)
	_, err = cl.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	requireRefused(t, srv, ServiceLambda, "GetFunction", err)
	_, err = cl.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("fn"), Role: aws.String("arn:aws:iam::" + testAccountID + ":role/r"),
		Code: &lambdatypes.FunctionCode{ZipFile: []byte("PK")}})
	requireRefused(t, srv, ServiceLambda, "CreateFunction", err)
	if srv.Total() != 0 {
		t.Fatalf("refused operations reached the server: %v", srv.Counts())
	}
	if _, err := cl.ListFunctions(ctx, &lambda.ListFunctionsInput{}); err != nil {
		t.Fatalf("ListFunctions through the guard: %v", err)
	}
	if srv.CountIn("ListFunctions", "eu-west-1") != 1 {
		t.Errorf("ListFunctions did not reach the server in eu-west-1: %v", srv.Calls())
	}
}

// TestLambdaLoopbackOnly: a collection with functions in several regions
// goes through a transport that refuses to dial anything but 127.0.0.1,
// and every Lambda request is signed for the lambda service.
func TestLambdaLoopbackOnly(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2)
	acct.LambdaFunctions["us-west-2"] = lambdaFunctionsOf("us-west-2", 3)
	srv := startServer(t, acct)
	opts := fastOptions()
	opts.HTTPClient = loopbackClient()
	snap := mustCollect(t, opts)
	requireOK(t, snap, snapshot.SourceLambdaFunctions)
	for c, n := range srv.Calls() {
		if c.Action == "ListFunctions" && (c.Service != "lambda" || n != 1) {
			t.Errorf("%+v: %d requests, want one signed for lambda", c, n)
		}
	}
	if got := len(lambdaRegion(t, snap, "us-west-2").Functions); got != 3 {
		t.Errorf("us-west-2: %d functions, want 3", got)
	}
}

package collect

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/smithy-go/middleware"
)

// Service names used by the guard and the operation table.
// They are the services' IAM action prefixes.
const (
	ServiceIAM            = "iam"
	ServiceSTS            = "sts"
	ServiceAccount        = "account"
	ServiceAccessAnalyzer = "access-analyzer"
	ServiceEC2            = "ec2"
	ServiceLambda         = "lambda"
	ServiceOrganizations  = "organizations"
)

// ReadOnlyError is returned, before anything is sent, for an operation the
// read-only guard does not allow.
type ReadOnlyError struct {
	Service   string
	Operation string
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("read-only guard: refused %s:%s before sending it: lockdown only calls read operations", e.Service, e.Operation)
}

// AllowedOperation reports whether the read-only guard lets operation op of
// service through. IAM: Get*, List*, Simulate* and GenerateCredentialReport
// (which only builds a report). STS: GetCallerIdentity and GetAccessKeyInfo;
// the other STS Get* calls (GetSessionToken, GetFederationToken) mint
// credentials, so they are refused even though their names start with Get.
// Account and IAM Access Analyzer: Get* and List* (their writes are Put*,
// Delete*, Create*, Update*, Enable*, Disable*, Start*, Accept*, Apply*,
// Tag*...). EC2: Describe* only; its Get* calls include
// GetPasswordData (a Windows instance's administrator password) and
// GetConsoleOutput, which lockdown has no business reading. Lambda: List*
// only; GetFunction answers with a presigned URL to the function's code,
// and its other reads (GetFunctionConfiguration...) carry environment
// variables, which lockdown never reads.
// Organizations: Describe* and List* (its writes are Create*, Delete*,
// Attach*, Detach*, Move*, Invite*, Enable*, Update*...).
//
// sts:AssumeRole is not a read: it mints credentials. Only the
// organisation runner's own STS client, guarded by AssumeRoleGuard, may
// call it, to reach the audit role in each member account.
func AllowedOperation(service, op string) bool {
	hasPrefix := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(op, p) && len(op) > len(p) && op[len(p)] >= 'A' && op[len(p)] <= 'Z' {
				return true
			}
		}
		return false
	}
	switch service {
	case ServiceIAM:
		return op == "GenerateCredentialReport" || hasPrefix("Get", "List", "Simulate")
	case ServiceSTS:
		return op == "GetCallerIdentity" || op == "GetAccessKeyInfo"
	case ServiceAccount, ServiceAccessAnalyzer:
		return hasPrefix("Get", "List")
	case ServiceEC2:
		return hasPrefix("Describe")
	case ServiceLambda:
		return hasPrefix("List")
	case ServiceOrganizations:
		return hasPrefix("Describe", "List")
	}
	return false
}

// AssumeRoleGuard is the guard of the one client that may call
// sts:AssumeRole: the organisation runner's, which assumes the audit role
// in each member account. It allows sts:AssumeRole and nothing else.
func AssumeRoleGuard() func(*middleware.Stack) error {
	return guardWith(ServiceSTS, func(op string) bool { return op == "AssumeRole" })
}

const guardID = "lockdown.ReadOnlyGuard"

// ReadOnlyGuard returns an APIOptions entry for a client of service that
// refuses every operation AllowedOperation does not allow. It runs at the
// Initialize step, so a refused request is never serialised, signed or sent.
func ReadOnlyGuard(service string) func(*middleware.Stack) error {
	return guardWith(service, func(op string) bool { return AllowedOperation(service, op) })
}

func guardWith(service string, allowed func(op string) bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		// The stack ID is the operation name the client set; the context
		// value is checked too in case a later SDK changes either.
		stackOp := stack.ID()
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(guardID,
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := middleware.GetOperationName(ctx)
				if op == "" {
					op = stackOp
				}
				if !allowed(op) || !allowed(stackOp) {
					if op == "" {
						op = "(unnamed operation)"
					}
					return middleware.InitializeOutput{}, middleware.Metadata{}, &ReadOnlyError{Service: service, Operation: op}
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

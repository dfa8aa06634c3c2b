// Package privesc finds privilege-escalation paths: for every user, group
// and role of an account, the shortest sequence of steps (each one method of
// the embedded catalogue) that ends in administrator-equivalent power, and
// the request context it works in. Every step is decided by the IAM policy
// engine (internal/access, internal/iampolicy): conditions, resource
// constraints, explicit denies, permissions boundaries and role trust
// policies count, so an action set that the policies allow only on a
// harmless resource, or only under a condition the request cannot meet, is
// not a step.
package privesc

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed methods.json
var methodsJSON []byte

// Method is one catalogue entry: an all-of set of actions.
type Method struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Category    string   `json:"category"`
	Required    []string `json:"required_actions"`
	Conditional []string `json:"conditional_actions,omitempty"`
	SourceURL   string   `json:"source_url,omitempty"`
}

// Source names where the catalogue's facts come from.
type Source struct {
	Name    string `json:"name"`
	Repo    string `json:"repo,omitempty"`
	URL     string `json:"url,omitempty"`
	Path    string `json:"path,omitempty"`
	Commit  string `json:"commit,omitempty"`
	License string `json:"license,omitempty"`
}

// Catalogue is the embedded data.
type Catalogue struct {
	Sources    []Source          `json:"sources"`
	Categories map[string]string `json:"categories"`
	Methods    []Method          `json:"methods"`
}

var (
	catOnce sync.Once
	cat     *Catalogue
	catErr  error
	byID    map[string]*Method
)

// Load returns the embedded catalogue, checked against the classification
// below: every method has a handling and every handling a method.
func Load() (*Catalogue, error) {
	catOnce.Do(func() {
		var c Catalogue
		if err := json.Unmarshal(methodsJSON, &c); err != nil {
			catErr = fmt.Errorf("privesc: embedded catalogue: %w", err)
			return
		}
		byID = map[string]*Method{}
		for i := range c.Methods {
			m := &c.Methods[i]
			byID[m.ID] = m
			if _, ok := handling[m.ID]; !ok {
				catErr = fmt.Errorf("privesc: catalogue method %s has no handling", m.ID)
				return
			}
		}
		for id := range handling {
			if byID[id] == nil {
				catErr = fmt.Errorf("privesc: handling for %s, which the catalogue does not have", id)
				return
			}
		}
		cat = &c
	})
	return cat, catErr
}

func method(id string) *Method {
	if _, err := Load(); err != nil {
		panic(err)
	}
	return byID[id]
}

// kind is how the engine turns a method into graph edges.
type kind int

const (
	// kSelf: the principal grants itself more (edge to administrator power).
	kSelf kind = iota
	// kUserCreds: the principal takes over another user's credentials.
	kUserCreds
	// kAssume: sts:AssumeRole on a role whose trust policy admits it.
	kAssume
	// kTrust: rewrite a role's trust policy to admit itself, then assume it.
	kTrust
	// kModifyRole / kModifyUser: give another role or user administrator
	// power, then become it (one catalogue method for the pair of steps).
	kModifyRole
	kModifyUser
	// kPassRole: pass a role to a new resource of a service that trusts it.
	kPassRole
	// kInstance / kFunction: take over an existing EC2 instance (through
	// its instance profile) or Lambda function running with a role.
	kInstance
	kFunction
	// kUncollected: take over an existing resource of a type lockdown does
	// not collect: reported as possible, naming the missing inventory.
	kUncollected
)

// handle says how one method is decided.
type handle struct {
	kind kind
	// service is the service principal that must be trusted by the role
	// the method ends in (kPassRole, kUncollected).
	service string
	// profile: the role reaches the compute through an EC2 instance
	// profile (the role needs one, or the caller must create one).
	profile bool
	// inventory names the resources a method needs to exist that lockdown
	// does not collect ("" when it needs none).
	inventory string
}

const (
	svcEC2            = "ec2.amazonaws.com"
	svcLambda         = "lambda.amazonaws.com"
	svcGlue           = "glue.amazonaws.com"
	svcCFN            = "cloudformation.amazonaws.com"
	svcCodeBuild      = "codebuild.amazonaws.com"
	svcECS            = "ecs-tasks.amazonaws.com"
	svcSageMaker      = "sagemaker.amazonaws.com"
	svcAppRunner      = "tasks.apprunner.amazonaws.com"
	svcBedrock        = "bedrock-agentcore.amazonaws.com"
	svcDataPipeline   = "datapipeline.amazonaws.com"
	invStacks         = "CloudFormation stacks and their service roles (not collected)"
	invStackSets      = "CloudFormation stack sets and their administration roles (not collected)"
	invCodeBuild      = "CodeBuild projects and their service roles (not collected)"
	invGlueEndpoints  = "Glue development endpoints and their roles (not collected)"
	invGlueJobs       = "Glue jobs (not collected)"
	invSageMaker      = "SageMaker notebook instances and their roles (not collected)"
	invAppRunner      = "App Runner services and their instance roles (not collected)"
	invBedrock        = "Bedrock AgentCore code interpreters and their roles (not collected)"
	invECSTasks       = "ECS tasks and their task roles (not collected)"
	invLaunchTemplate = "EC2 launch templates and their instance profiles (not collected)"
	invLaunchConfig   = "Auto Scaling launch configurations and their instance profiles (not collected)"
)

// handling classifies every catalogue method by what it does.
var handling = map[string]handle{
	"iam-001": {kind: kSelf}, "iam-005": {kind: kSelf}, "iam-007": {kind: kSelf}, "iam-008": {kind: kSelf},
	"iam-009": {kind: kSelf}, "iam-010": {kind: kSelf}, "iam-011": {kind: kSelf}, "iam-013": {kind: kSelf},
	"ext-iam-setdefaultpolicyversion": {kind: kSelf},

	"iam-002": {kind: kUserCreds}, "iam-003": {kind: kUserCreds}, "iam-004": {kind: kUserCreds}, "iam-006": {kind: kUserCreds},
	"sts-001": {kind: kAssume},
	"iam-012": {kind: kTrust},
	"iam-014": {kind: kModifyRole}, "iam-016": {kind: kModifyRole}, "iam-017": {kind: kModifyRole},
	"iam-019": {kind: kModifyRole}, "iam-020": {kind: kModifyRole}, "iam-021": {kind: kModifyRole},
	"iam-015": {kind: kModifyUser}, "iam-018": {kind: kModifyUser},

	"apprunner-001":                    {kind: kPassRole, service: svcAppRunner},
	"bedrock-001":                      {kind: kPassRole, service: svcBedrock},
	"cloudformation-001":               {kind: kPassRole, service: svcCFN},
	"cloudformation-003":               {kind: kPassRole, service: svcCFN},
	"cloudformation-004":               {kind: kPassRole, service: svcCFN, inventory: invStackSets},
	"codebuild-001":                    {kind: kPassRole, service: svcCodeBuild},
	"codebuild-004":                    {kind: kPassRole, service: svcCodeBuild},
	"datapipeline-001":                 {kind: kPassRole, service: svcDataPipeline},
	"ec2-001":                          {kind: kPassRole, service: svcEC2, profile: true},
	"ec2-003":                          {kind: kPassRole, service: svcEC2, profile: true},
	"ecs-001":                          {kind: kPassRole, service: svcECS},
	"ecs-002":                          {kind: kPassRole, service: svcECS},
	"ecs-003":                          {kind: kPassRole, service: svcECS},
	"ecs-004":                          {kind: kPassRole, service: svcECS},
	"ecs-005":                          {kind: kPassRole, service: svcECS},
	"glue-001":                         {kind: kPassRole, service: svcGlue},
	"glue-003":                         {kind: kPassRole, service: svcGlue},
	"glue-004":                         {kind: kPassRole, service: svcGlue},
	"glue-005":                         {kind: kPassRole, service: svcGlue, inventory: invGlueJobs},
	"glue-006":                         {kind: kPassRole, service: svcGlue, inventory: invGlueJobs},
	"lambda-001":                       {kind: kPassRole, service: svcLambda},
	"lambda-002":                       {kind: kPassRole, service: svcLambda},
	"lambda-006":                       {kind: kPassRole, service: svcLambda},
	"ext-lambda-dynamodb-new-table":    {kind: kPassRole, service: svcLambda},
	"sagemaker-001":                    {kind: kPassRole, service: svcSageMaker},
	"sagemaker-002":                    {kind: kPassRole, service: svcSageMaker},
	"sagemaker-003":                    {kind: kPassRole, service: svcSageMaker},
	"ext-autoscaling-new-launchconfig": {kind: kPassRole, service: svcEC2, profile: true},

	"ssm-001": {kind: kInstance}, "ssm-002": {kind: kInstance}, "ec2-002": {kind: kInstance}, "ec2instanceconnect-003": {kind: kInstance},
	"lambda-003": {kind: kFunction}, "lambda-004": {kind: kFunction}, "lambda-005": {kind: kFunction},

	"apprunner-002":                         {kind: kUncollected, service: svcAppRunner, inventory: invAppRunner},
	"bedrock-002":                           {kind: kUncollected, service: svcBedrock, inventory: invBedrock},
	"cloudformation-002":                    {kind: kUncollected, service: svcCFN, inventory: invStacks},
	"cloudformation-005":                    {kind: kUncollected, service: svcCFN, inventory: invStacks},
	"codebuild-002":                         {kind: kUncollected, service: svcCodeBuild, inventory: invCodeBuild},
	"codebuild-003":                         {kind: kUncollected, service: svcCodeBuild, inventory: invCodeBuild},
	"glue-002":                              {kind: kUncollected, service: svcGlue, inventory: invGlueEndpoints},
	"sagemaker-004":                         {kind: kUncollected, service: svcSageMaker, inventory: invSageMaker},
	"sagemaker-005":                         {kind: kUncollected, service: svcSageMaker, inventory: invSageMaker},
	"ec2-004":                               {kind: kUncollected, service: svcEC2, profile: true, inventory: invLaunchTemplate},
	"ext-ecs-executecommand":                {kind: kUncollected, service: svcECS, inventory: invECSTasks},
	"ext-autoscaling-existing-launchconfig": {kind: kUncollected, service: svcEC2, profile: true, inventory: invLaunchConfig},
}

// methodsOf lists the ids of one kind, in catalogue order.
func methodsOf(k kind) []string {
	var ids []string
	for id, h := range handling {
		if h.kind == k {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// probeResource is a concrete resource of the type an action works on, in
// the account: the attacker names the resource it creates, so any name
// will do. Actions without resource-level permissions use "*".
func probeResource(action, partition, account string) string {
	k := probeKey{action, partition, account}
	probeMu.Lock()
	defer probeMu.Unlock()
	if v, ok := probeCache[k]; ok {
		return v
	}
	v := "*"
	if f := probeFormats[strings.ToLower(action)]; f != "" {
		v = strings.NewReplacer("{p}", partition, "{a}", account).Replace(f)
	}
	probeCache[k] = v
	return v
}

type probeKey struct{ action, partition, account string }

var (
	probeMu    sync.Mutex
	probeCache = map[probeKey]string{}
)

var probeFormats = map[string]string{
	"lambda:createfunction":                           "arn:{p}:lambda:us-east-1:{a}:function:lockdown-probe",
	"lambda:invokefunction":                           "arn:{p}:lambda:us-east-1:{a}:function:lockdown-probe",
	"lambda:addpermission":                            "arn:{p}:lambda:us-east-1:{a}:function:lockdown-probe",
	"lambda:updatefunctioncode":                       "arn:{p}:lambda:us-east-1:{a}:function:lockdown-probe",
	"ec2:runinstances":                                "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"ec2:requestspotinstances":                        "arn:{p}:ec2:us-east-1:{a}:spot-instances-request/sir-lockdownprobe",
	"ec2:modifyinstanceattribute":                     "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"ec2:stopinstances":                               "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"ec2:startinstances":                              "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"ec2:createlaunchtemplateversion":                 "arn:{p}:ec2:us-east-1:{a}:launch-template/lt-0lockdownprobe",
	"ec2:modifylaunchtemplate":                        "arn:{p}:ec2:us-east-1:{a}:launch-template/lt-0lockdownprobe",
	"ssm:sendcommand":                                 "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"ssm:startsession":                                "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"ec2-instance-connect:sendsshpublickey":           "arn:{p}:ec2:us-east-1:{a}:instance/i-0lockdownprobe",
	"glue:createdevendpoint":                          "arn:{p}:glue:us-east-1:{a}:devEndpoint/lockdown-probe",
	"glue:updatedevendpoint":                          "arn:{p}:glue:us-east-1:{a}:devEndpoint/lockdown-probe",
	"glue:createjob":                                  "arn:{p}:glue:us-east-1:{a}:job/lockdown-probe",
	"glue:updatejob":                                  "arn:{p}:glue:us-east-1:{a}:job/lockdown-probe",
	"glue:startjobrun":                                "arn:{p}:glue:us-east-1:{a}:job/lockdown-probe",
	"glue:createtrigger":                              "arn:{p}:glue:us-east-1:{a}:trigger/lockdown-probe",
	"codebuild:createproject":                         "arn:{p}:codebuild:us-east-1:{a}:project/lockdown-probe",
	"codebuild:startbuild":                            "arn:{p}:codebuild:us-east-1:{a}:project/lockdown-probe",
	"codebuild:startbuildbatch":                       "arn:{p}:codebuild:us-east-1:{a}:project/lockdown-probe",
	"cloudformation:createstack":                      "arn:{p}:cloudformation:us-east-1:{a}:stack/lockdown-probe/*",
	"cloudformation:updatestack":                      "arn:{p}:cloudformation:us-east-1:{a}:stack/lockdown-probe/*",
	"cloudformation:createchangeset":                  "arn:{p}:cloudformation:us-east-1:{a}:stack/lockdown-probe/*",
	"cloudformation:executechangeset":                 "arn:{p}:cloudformation:us-east-1:{a}:stack/lockdown-probe/*",
	"cloudformation:createstackset":                   "arn:{p}:cloudformation:us-east-1:{a}:stackset/lockdown-probe:*",
	"cloudformation:updatestackset":                   "arn:{p}:cloudformation:us-east-1:{a}:stackset/lockdown-probe:*",
	"cloudformation:createstackinstances":             "arn:{p}:cloudformation:us-east-1:{a}:stackset/lockdown-probe:*",
	"ecs:createcluster":                               "arn:{p}:ecs:us-east-1:{a}:cluster/lockdown-probe",
	"ecs:createservice":                               "arn:{p}:ecs:us-east-1:{a}:service/lockdown-probe/lockdown-probe",
	"ecs:runtask":                                     "arn:{p}:ecs:us-east-1:{a}:task-definition/lockdown-probe:1",
	"ecs:starttask":                                   "arn:{p}:ecs:us-east-1:{a}:task-definition/lockdown-probe:1",
	"ecs:executecommand":                              "arn:{p}:ecs:us-east-1:{a}:task/lockdown-probe/0lockdownprobe",
	"ecs:describetasks":                               "arn:{p}:ecs:us-east-1:{a}:task/lockdown-probe/0lockdownprobe",
	"sagemaker:createnotebookinstance":                "arn:{p}:sagemaker:us-east-1:{a}:notebook-instance/lockdown-probe",
	"sagemaker:createpresignednotebookinstanceurl":    "arn:{p}:sagemaker:us-east-1:{a}:notebook-instance/lockdown-probe",
	"sagemaker:stopnotebookinstance":                  "arn:{p}:sagemaker:us-east-1:{a}:notebook-instance/lockdown-probe",
	"sagemaker:startnotebookinstance":                 "arn:{p}:sagemaker:us-east-1:{a}:notebook-instance/lockdown-probe",
	"sagemaker:updatenotebookinstance":                "arn:{p}:sagemaker:us-east-1:{a}:notebook-instance/lockdown-probe",
	"sagemaker:createnotebookinstancelifecycleconfig": "arn:{p}:sagemaker:us-east-1:{a}:notebook-instance-lifecycle-config/lockdown-probe",
	"sagemaker:createtrainingjob":                     "arn:{p}:sagemaker:us-east-1:{a}:training-job/lockdown-probe",
	"sagemaker:createprocessingjob":                   "arn:{p}:sagemaker:us-east-1:{a}:processing-job/lockdown-probe",
	"apprunner:createservice":                         "arn:{p}:apprunner:us-east-1:{a}:service/lockdown-probe/0lockdownprobe",
	"apprunner:updateservice":                         "arn:{p}:apprunner:us-east-1:{a}:service/lockdown-probe/0lockdownprobe",
	"bedrock-agentcore:createcodeinterpreter":         "arn:{p}:bedrock-agentcore:us-east-1:{a}:code-interpreter-custom/lockdown-probe",
	"bedrock-agentcore:startcodeinterpretersession":   "arn:{p}:bedrock-agentcore:us-east-1:{a}:code-interpreter-custom/lockdown-probe",
	"bedrock-agentcore:invokecodeinterpreter":         "arn:{p}:bedrock-agentcore:us-east-1:{a}:code-interpreter-custom/lockdown-probe",
	"dynamodb:createtable":                            "arn:{p}:dynamodb:us-east-1:{a}:table/lockdown-probe",
	"dynamodb:putitem":                                "arn:{p}:dynamodb:us-east-1:{a}:table/lockdown-probe",
	"autoscaling:createlaunchconfiguration":           "arn:{p}:autoscaling:us-east-1:{a}:launchConfiguration:*:launchConfigurationName/lockdown-probe",
	"autoscaling:createautoscalinggroup":              "arn:{p}:autoscaling:us-east-1:{a}:autoScalingGroup:*:autoScalingGroupName/lockdown-probe",
	"iam:createinstanceprofile":                       "arn:{p}:iam::{a}:instance-profile/lockdown-probe",
	"iam:addroletoinstanceprofile":                    "arn:{p}:iam::{a}:instance-profile/lockdown-probe",
}

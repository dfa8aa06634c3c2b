package findings

// EscalationPath is one privilege-escalation path of a principal (check
// LD-PE-01's evidence.paths): the steps, in order, from the principal to
// administrator-equivalent power.
type EscalationPath struct {
	MethodIDs []string         `json:"method_ids"`
	Steps     []EscalationStep `json:"steps"`
	// Context is the weakest request context of the starting principal
	// under which the whole path works: access_key, session_no_mfa or
	// mfa_session. RequiresMFA is true when it works only with MFA.
	Context     string `json:"context"`
	RequiresMFA bool   `json:"requires_mfa"`
	// Target is the principal whose power is administrator-equivalent at
	// the end.
	Target string `json:"target"`
	// Possible is true when a step needs resources that are not known
	// (Unknown names them).
	Possible bool   `json:"possible"`
	Unknown  string `json:"unknown"`
	// Summary is the path in one line.
	Summary string `json:"summary"`
}

// EscalationStep is one hop: the catalogue method and the actions it was
// allowed, each with its resource and the statement that allowed it.
type EscalationStep struct {
	From     string             `json:"from"`
	To       string             `json:"to"`
	MethodID string             `json:"method_id"`
	Actions  []EscalationAction `json:"actions"`
}

// EscalationAction is one allowed action of a step.
type EscalationAction struct {
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	Policy    string `json:"policy"`
	Statement string `json:"statement"`
}

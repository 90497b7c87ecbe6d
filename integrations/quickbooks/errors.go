package quickbooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Errors a caller decides on. Test with errors.Is; the error itself is
// usually a *Fault carrying the details.
var (
	// ErrAuthExpired: the access token was rejected and could not be
	// refreshed, or the refresh token itself is no longer valid. Reconnect.
	ErrAuthExpired = errors.New("quickbooks: authorization expired")
	// ErrThrottled: QuickBooks answered 429 and we gave up waiting.
	ErrThrottled = errors.New("quickbooks: throttled")
	// ErrNotFound: fault 610, the object does not exist or was deleted.
	ErrNotFound = errors.New("quickbooks: object not found")
	// ErrStaleObject: fault 5010, the SyncToken is out of date; re-read and retry.
	ErrStaleObject = errors.New("quickbooks: stale object")
	// ErrDuplicateName: fault 6240, the DisplayName is taken.
	ErrDuplicateName = errors.New("quickbooks: duplicate name")
	// ErrDuplicateDocNumber: fault 6140, the DocNumber is taken; see
	// Fault.DuplicateTxn for the transaction that has it.
	ErrDuplicateDocNumber = errors.New("quickbooks: duplicate document number")
)

// RateLimitedError is a 429 the client did not wait out: QuickBooks asked
// for a wait longer than MaxThrottleWait, or one that would take the call
// past its RetryBudget, or the tries ran out. It matches ErrThrottled and
// unwraps to the *Fault.
type RateLimitedError struct {
	// RetryAfter is how long QuickBooks asked to wait (DefaultThrottleWait
	// when it named no time).
	RetryAfter time.Duration
	Fault      *Fault
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("quickbooks: throttled, try again in %s: %v", e.RetryAfter.Round(time.Second), e.Fault)
}

func (e *RateLimitedError) Unwrap() error { return e.Fault }

// Fault codes QuickBooks sends that the client gives meaning to.
const (
	CodeAuthentication    = "3200"
	CodeObjectNotFound    = "610"
	CodeRequiredParam     = "2020"
	CodeInvalidReference  = "2500"
	CodeQueryParse        = "4000"
	CodeQueryInvalid      = "4001"
	CodeStaleObject       = "5010"
	CodeBusinessRule      = "6000"
	CodeDuplicateDocNum   = "6140"
	CodeDuplicateName     = "6240"
	CodeApplicationFailed = "10000"
)

// FaultError is one error inside a Fault.
type FaultError struct {
	Code    string `json:"code"`
	Message string `json:"Message"`
	Detail  string `json:"Detail"`
	Element string `json:"element"`
}

// Fault is an error answer from QuickBooks: its HTTP status, the fault type
// and errors from the body (both the usual "Fault" and the lowercase "fault"
// shape of a 401), and the intuit_tid header to quote to Intuit support.
type Fault struct {
	StatusCode int
	Type       string
	Errors     []FaultError
	IntuitTID  string
	// RetryAfter is how long QuickBooks asked us to wait (429 only).
	RetryAfter time.Duration
}

// wireFault is the body of a fault; encoding/json matches keys without regard
// to case, so it reads both {"Fault":{"Error":…}} and {"fault":{"error":…}}.
type wireFault struct {
	Fault *struct {
		Type  string       `json:"type"`
		Error []FaultError `json:"Error"`
	} `json:"Fault"`
}

// parseFault returns the Fault in body, or nil if body holds none.
func parseFault(body []byte) *Fault {
	var w wireFault
	if json.Unmarshal(body, &w) != nil || w.Fault == nil {
		return nil
	}
	return &Fault{Type: w.Fault.Type, Errors: w.Fault.Error}
}

// Code returns the first error's code ("" when the body had none).
func (f *Fault) Code() string {
	if len(f.Errors) == 0 {
		return ""
	}
	return f.Errors[0].Code
}

// HasCode reports whether any error in the fault has code.
func (f *Fault) HasCode(code string) bool {
	for _, e := range f.Errors {
		if e.Code == code {
			return true
		}
	}
	return false
}

func (f *Fault) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "quickbooks: HTTP %d", f.StatusCode)
	if f.Type != "" {
		fmt.Fprintf(&b, " %s", f.Type)
	}
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "; %s %s", e.Code, e.Message)
		if e.Detail != "" {
			fmt.Fprintf(&b, ": %s", e.Detail)
		}
		if e.Element != "" {
			fmt.Fprintf(&b, " (element %s)", e.Element)
		}
	}
	if f.IntuitTID != "" {
		fmt.Fprintf(&b, " [intuit_tid %s]", f.IntuitTID)
	}
	return b.String()
}

// Is lets errors.Is match a Fault against the package's sentinel errors.
func (f *Fault) Is(target error) bool {
	switch target {
	case ErrAuthExpired:
		return f.StatusCode == 401 || f.HasCode(CodeAuthentication)
	case ErrThrottled:
		return f.StatusCode == 429
	case ErrNotFound:
		return f.HasCode(CodeObjectNotFound)
	case ErrStaleObject:
		return f.HasCode(CodeStaleObject)
	case ErrDuplicateName:
		return f.HasCode(CodeDuplicateName)
	case ErrDuplicateDocNumber:
		return f.HasCode(CodeDuplicateDocNum)
	}
	return false
}

var duplicateTxnRe = regexp.MustCompile(`TxnType=([^=]*?) with TxnId=(\w+)`)

// DuplicateTxn returns the type and Id of the transaction that already has
// the DocNumber, parsed from a 6140 fault's detail ("… DocNumber=1234 is
// assigned to TxnType=Invoice with TxnId=111").
func (f *Fault) DuplicateTxn() (txnType, txnID string, ok bool) {
	for _, e := range f.Errors {
		if e.Code != CodeDuplicateDocNum {
			continue
		}
		if m := duplicateTxnRe.FindStringSubmatch(e.Detail); m != nil {
			return strings.TrimSpace(m[1]), m[2], true
		}
	}
	return "", "", false
}

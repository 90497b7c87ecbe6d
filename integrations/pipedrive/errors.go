package pipedrive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors; an *APIError matches the one for its HTTP status with errors.Is.
var (
	ErrBadRequest      = errors.New("pipedrive: bad request")
	ErrUnauthorized    = errors.New("pipedrive: unauthorized (token invalid, expired or revoked)")
	ErrPaymentRequired = errors.New("pipedrive: payment required (company account is not open)")
	ErrForbidden       = errors.New("pipedrive: forbidden")
	ErrNotFound        = errors.New("pipedrive: not found")
	ErrGone            = errors.New("pipedrive: gone (resource permanently unavailable)")
	ErrRateLimited     = errors.New("pipedrive: rate limited")
	ErrServer          = errors.New("pipedrive: server error")
)

// APIError is an error answer from Pipedrive, typed from its envelope
// ({"success":false,"error":…,"error_info":…,"code"|"errorCode":…}).
type APIError struct {
	Status     int           // HTTP status
	Method     string        // request method
	Path       string        // request path, without query (the query never carries secrets, but stays short)
	Message    string        // "error" (or "message") from the body, or the HTTP status text
	Info       string        // "error_info"
	Code       string        // "code" or "errorCode", e.g. "feature_capping_deals_limit"
	RetryAfter time.Duration // for 429: how long Pipedrive asked us to wait, when it said
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pipedrive: %s %s: %d %s", e.Method, e.Path, e.Status, e.Message)
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	if e.Info != "" && e.Info != e.Message {
		fmt.Fprintf(&b, ": %s", e.Info)
	}
	return b.String()
}

// Is matches the sentinel error for the status.
func (e *APIError) Is(target error) bool {
	return target != nil && target == sentinelFor(e.Status)
}

func sentinelFor(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusPaymentRequired:
		return ErrPaymentRequired
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusGone:
		return ErrGone
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	case status >= 400:
		return ErrBadRequest
	}
	return nil
}

// errorBody is the union of the error envelopes Pipedrive sends.
type errorBody struct {
	Error     string          `json:"error"`
	Message   string          `json:"message"`
	ErrorInfo string          `json:"error_info"`
	Code      json.RawMessage `json:"code"`
	ErrorCode json.RawMessage `json:"errorCode"`
}

// decodeError builds an APIError from a status and a body that may be JSON, HTML (Cloudflare) or empty.
func decodeError(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.Message = eb.Error
		if e.Message == "" {
			e.Message = eb.Message
		}
		e.Info = eb.ErrorInfo
		e.Code = rawCode(eb.Code)
		if e.Code == "" {
			e.Code = rawCode(eb.ErrorCode)
		}
	}
	if e.Message == "" {
		e.Message = e.Info
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// rawCode turns a JSON string or number into its text; anything else is dropped.
func rawCode(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

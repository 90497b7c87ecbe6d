package qbofake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// apiError is a QuickBooks fault the fake answers with.
type apiError struct {
	status  int
	typ     string
	code    string
	message string
	detail  string
	element string
}

func (e *apiError) Error() string { return e.code + " " + e.message + ": " + e.detail }

func validation(code, message, detail, element string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "ValidationFault", code: code, message: message, detail: detail, element: element}
}

func errNotFound() *apiError {
	return validation("610", "Object Not Found",
		"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.", "")
}

func errStale() *apiError {
	return validation("5010", "Stale Object Error",
		"Stale Object Error : You and Demo User were working on this at the same time. Demo User finished before you did, so your work was not saved.", "")
}

func errDuplicateName() *apiError {
	return validation("6240", "Duplicate Name Exists Error",
		"The name supplied already exists. : Another customer, vendor or employee is already using this \nname. Please use a different name.", "")
}

func errDuplicateDocNumber(docNumber, txnID string) *apiError {
	return validation("6140", "Duplicate Document Number Error",
		fmt.Sprintf("Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=%s is assigned to TxnType=Invoice with TxnId=%s", docNumber, txnID), "")
}

func errRequired(field string) *apiError {
	return validation("2020", "Required param missing, need to supply the required value for the API",
		fmt.Sprintf("Required parameter %s is missing in the request", field), field)
}

func errInvalidRef(what, id string) *apiError {
	return validation("2500", "Invalid Reference Id",
		fmt.Sprintf("Invalid Reference Id : %s assigned is invalid: %s", what, id), what)
}

func errBadRequest(detail string) *apiError {
	return validation("2010", "Request has invalid or unsupported property", detail, "")
}

func errBusiness(detail string) *apiError {
	return validation("6000", "A business validation error has occurred while processing your request",
		"Business Validation Error: "+detail, "")
}

func errQueryParse(detail string) *apiError {
	return validation("4000", "Error parsing query", "QueryParserError: "+detail, "")
}

func errQueryInvalid(detail string) *apiError {
	return validation("4001", "Invalid query", "QueryValidationError: "+detail, "")
}

func errSystem(detail string) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: "SystemFault", code: "10000", message: "An application error has occurred while processing your request", detail: "System Failure Error: " + detail}
}

// envelopeTime formats the "time" member of an answer as QuickBooks does.
func envelopeTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-07:00") }

type wireError struct {
	Message string `json:"Message"`
	Detail  string `json:"Detail"`
	Code    string `json:"code"`
	Element string `json:"element"`
}

func writeFault(w http.ResponseWriter, now time.Time, e *apiError) {
	body := map[string]any{
		"Fault": map[string]any{
			"Error": []wireError{{Message: e.message, Detail: e.detail, Code: e.code, Element: e.element}},
			"type":  e.typ,
		},
		"time": envelopeTime(now),
	}
	writeJSON(w, e.status, body)
}

// writeAuthFault answers 401 with the lowercase body QuickBooks uses for
// authentication failures.
func writeAuthFault(w http.ResponseWriter, now time.Time, detail string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Intuit", error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, map[string]any{
		"warnings":     nil,
		"intuitObject": nil,
		"fault": map[string]any{
			"error": []map[string]any{{
				"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
				"detail":  detail,
				"code":    "3200",
				"element": nil,
			}},
			"type": "AUTHENTICATION",
		},
		"report":        nil,
		"queryResponse": nil,
		"requestId":     nil,
		"time":          now.UnixMilli(),
		"status":        nil,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

package qbofake

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// entityNames maps URL resource names to their JSON envelope keys.
var entityNames = map[string]string{
	"customer": "Customer", "invoice": "Invoice", "item": "Item", "taxcode": "TaxCode",
	"taxrate": "TaxRate", "term": "Term", "payment": "Payment",
}

// route runs one API operation; the server lock is held.
func (s *Server) route(w http.ResponseWriter, r *http.Request, path string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	now := s.now()
	fail := func(e *apiError) { writeFault(w, now, e) }
	ok := func(key string, v any) {
		writeJSON(w, http.StatusOK, map[string]any{key: v, "time": envelopeTime(now)})
	}

	switch {
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "companyinfo":
		if parts[1] != s.opts.RealmID {
			fail(errNotFound())
			return
		}
		ok("CompanyInfo", s.co.companyInfo())
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "preferences":
		ok("Preferences", s.co.preferences())
	case len(parts) == 1 && parts[0] == "query":
		q, err := queryText(r)
		if err != nil {
			fail(err)
			return
		}
		res, err := s.co.runQuery(q)
		if err != nil {
			fail(err)
			return
		}
		ok("QueryResponse", res)
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "cdc":
		res, err := s.co.cdc(r.URL.Query().Get("entities"), r.URL.Query().Get("changedSince"))
		if err != nil {
			fail(err)
			return
		}
		ok("CDCResponse", res)
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "invoice" && parts[2] == "pdf":
		inv := s.co.invoices[parts[1]]
		if inv == nil {
			fail(errNotFound())
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(invoicePDF(s.opts.CompanyName, inv))
	case r.Method == http.MethodGet && len(parts) == 2 && entityNames[parts[0]] != "":
		obj := s.co.lookup(parts[0], parts[1])
		if obj == nil {
			fail(errNotFound())
			return
		}
		ok(entityNames[parts[0]], obj)
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "invoice" && parts[2] == "send":
		inv, err := s.co.sendInvoice(parts[1], r.URL.Query().Get("sendTo"))
		if err != nil {
			fail(err)
			return
		}
		ok("Invoice", inv)
	case r.Method == http.MethodPost && len(parts) == 1 && (parts[0] == "invoice" || parts[0] == "customer"):
		body, raw, err := readBody(r)
		if err != nil {
			fail(err)
			return
		}
		obj, err := s.write(parts[0], r.URL.Query().Get("operation"), body, raw)
		if err != nil {
			fail(err)
			return
		}
		ok(entityNames[parts[0]], obj)
	default:
		fail(validation("500", "Unsupported Operation", "Operation "+r.Method+" "+path+" is not supported.", ""))
	}
}

// write creates, updates, voids or deletes a customer or invoice.
func (s *Server) write(resource, operation string, body map[string]json.RawMessage, raw []byte) (any, *apiError) {
	_, hasID := body["Id"]
	switch {
	case resource == "customer" && operation == "" && !hasID:
		var c Customer
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, errBadRequest(err.Error())
		}
		return s.co.addCustomer(c)
	case resource == "customer" && (operation == "" || operation == "update"):
		return s.co.updateCustomer(body)
	case resource == "invoice" && operation == "" && !hasID:
		var inv Invoice
		if err := json.Unmarshal(raw, &inv); err != nil {
			return nil, errBadRequest(err.Error())
		}
		inv.ID, inv.MetaData, inv.LinkedTxn, inv.DeliveryInfo = "", nil, nil, nil
		return s.co.addInvoice(inv)
	case resource == "invoice" && (operation == "" || operation == "update"):
		return s.co.updateInvoice(body)
	case resource == "invoice" && operation == "void":
		return s.co.voidInvoice(body)
	case resource == "invoice" && operation == "delete":
		inv, err := s.co.deleteInvoice(body)
		if err != nil {
			return nil, err
		}
		return map[string]string{"status": "Deleted", "domain": "QBO", "Id": inv.ID}, nil
	}
	return nil, validation("500", "Unsupported Operation", "Operation "+operation+" is not supported for "+resource+".", "")
}

// readBody reads a JSON request body, both as members and as raw bytes.
func readBody(r *http.Request) (map[string]json.RawMessage, []byte, *apiError) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return nil, nil, errBadRequest("Content-Type must be application/json, got " + strconv.Quote(r.Header.Get("Content-Type")))
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return nil, nil, errBadRequest("could not read the request body")
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, nil, errBadRequest("the request body is not a JSON object: " + err.Error())
	}
	return body, raw, nil
}

// queryText takes the statement from ?query= (GET) or the body (POST,
// Content-Type application/text).
func queryText(r *http.Request) (string, *apiError) {
	if r.Method == http.MethodGet {
		q := r.URL.Query().Get("query")
		if q == "" {
			return "", errRequired("query")
		}
		return q, nil
	}
	if r.Method != http.MethodPost {
		return "", validation("500", "Unsupported Operation", "query needs GET or POST", "")
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || len(b) == 0 {
		return "", errRequired("query")
	}
	return string(b), nil
}

func strconvSeconds(d time.Duration) string {
	return strconv.Itoa(int(d.Round(time.Second) / time.Second))
}

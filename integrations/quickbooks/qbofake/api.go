package qbofake

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
)

// entityNames maps URL resource names to their JSON envelope keys.
var entityNames = map[string]string{
	"customer": "Customer", "invoice": "Invoice", "item": "Item", "taxcode": "TaxCode",
	"taxrate": "TaxRate", "term": "Term", "payment": "Payment",
}

// apiRoutes are the operations below /v3/company/{realm}, by method and path.
// Their handlers run with the server lock held and write to a *recorder.
func (s *Server) apiRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /companyinfo/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != s.opts.RealmID {
			s.fail(w, errNotFound())
			return
		}
		s.ok(w, "CompanyInfo", s.co.companyInfo())
	})
	mux.HandleFunc("GET /preferences", func(w http.ResponseWriter, r *http.Request) {
		s.ok(w, "Preferences", s.co.preferences())
	})
	// QuickBooks takes a query as GET ?query= or as a POST body.
	mux.HandleFunc("/query", func(w http.ResponseWriter, r *http.Request) {
		q, err := queryText(r)
		if err != nil {
			s.fail(w, err)
			return
		}
		res, err := s.co.runQuery(q)
		if err != nil {
			s.fail(w, err)
			return
		}
		s.ok(w, "QueryResponse", res)
	})
	mux.HandleFunc("GET /cdc", func(w http.ResponseWriter, r *http.Request) {
		res, err := s.co.cdc(r.URL.Query().Get("entities"), r.URL.Query().Get("changedSince"))
		if err != nil {
			s.fail(w, err)
			return
		}
		s.ok(w, "CDCResponse", res)
	})
	mux.HandleFunc("GET /invoice/{id}/pdf", func(w http.ResponseWriter, r *http.Request) {
		inv := s.co.invoices[r.PathValue("id")]
		if inv == nil {
			s.fail(w, errNotFound())
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(invoicePDF(s.opts.CompanyName, inv))
	})
	for resource, key := range entityNames {
		mux.HandleFunc("GET /"+resource+"/{id}", func(w http.ResponseWriter, r *http.Request) {
			obj := s.co.lookup(resource, r.PathValue("id"))
			if obj == nil {
				s.fail(w, errNotFound())
				return
			}
			s.ok(w, key, obj)
		})
	}
	mux.HandleFunc("POST /invoice/{id}/send", func(w http.ResponseWriter, r *http.Request) {
		inv, err := s.co.sendInvoice(r.PathValue("id"), r.URL.Query().Get("sendTo"))
		if err != nil {
			s.fail(w, err)
			return
		}
		s.ok(w, "Invoice", inv)
	})
	for _, resource := range []string{"invoice", "customer"} {
		mux.HandleFunc("POST /"+resource, func(w http.ResponseWriter, r *http.Request) {
			body, raw, err := readBody(r)
			if err != nil {
				s.fail(w, err)
				return
			}
			obj, err := s.write(resource, r.URL.Query().Get("operation"), body, raw)
			if err != nil {
				s.fail(w, err)
				return
			}
			s.ok(w, entityNames[resource], obj)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, validation("500", "Unsupported Operation", "Operation "+r.Method+" "+r.URL.Path+" is not supported.", ""))
	})
	return mux
}

// route runs one API operation, at path below /v3/company/{realm}; the server lock is held.
func (s *Server) route(w http.ResponseWriter, r *http.Request, path string) {
	op := *r
	u := *r.URL
	u.Path, u.RawPath = path, ""
	op.URL = &u
	s.ops.ServeHTTP(w, &op)
}

func (s *Server) fail(w http.ResponseWriter, e *apiError) { writeFault(w, s.now(), e) }

func (s *Server) ok(w http.ResponseWriter, key string, v any) {
	writeJSON(w, http.StatusOK, map[string]any{key: v, "time": envelopeTime(s.now())})
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

package quickbooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"golang.org/x/oauth2"

	qb "dealbooks/integrations/quickbooks"
	"dealbooks/internal/testkit"
)

// captured is one request as a server received it.
type captured struct {
	method, path string
	query        url.Values
	header       http.Header
	body         []byte
}

// recordingClient returns a client whose server records each request and
// answers with answer.
func recordingClient(t *testing.T, answer string) (*qb.Client, *[]captured) {
	t.Helper()
	var got []captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, captured{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), body})
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	c, err := qb.New(qb.Config{BaseURL: srv.URL, RealmID: "123", Clock: newFakeClock(),
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at", Expiry: time.Now().Add(time.Hour)})})
	if err != nil {
		t.Fatal(err)
	}
	return c, &got
}

const invoiceAnswer = `{"Invoice":{"Id":"238","SyncToken":"1","status":"Deleted"},"time":"2015-07-24T10:33:39.11-07:00"}`

// Request bodies and parameters must have the shapes Intuit documents
// (api/quickbooks.md §3.1).
func TestWriteRequestShapes(t *testing.T) {
	ctx := context.Background()
	due := qb.Date{Year: 2015, Month: time.September, Day: 30}
	tests := []struct {
		name        string
		call        func(c *qb.Client) error
		path        string
		params      url.Values
		contentType string
		body        string // "" means an empty body
	}{
		{
			name: "sparse update",
			call: func(c *qb.Client) error {
				_, err := c.UpdateInvoice(ctx, "r-1", qb.Invoice{ID: "238", SyncToken: "0", DueDate: &due})
				return err
			},
			path: "/v3/company/123/invoice", params: url.Values{"requestid": {"r-1"}, "minorversion": {"75"}},
			contentType: "application/json",
			body:        `{"Id":"238","SyncToken":"0","sparse":true,"DueDate":"2015-09-30"}`,
		},
		{
			name: "void",
			call: func(c *qb.Client) error { _, err := c.VoidInvoice(ctx, "r-2", "129", "0"); return err },
			path: "/v3/company/123/invoice", params: url.Values{"operation": {"void"}, "requestid": {"r-2"}, "minorversion": {"75"}},
			contentType: "application/json", body: `{"Id":"129","SyncToken":"0"}`,
		},
		{
			name: "delete",
			call: func(c *qb.Client) error { return c.DeleteInvoice(ctx, "r-3", "33", "3") },
			path: "/v3/company/123/invoice", params: url.Values{"operation": {"delete"}, "requestid": {"r-3"}, "minorversion": {"75"}},
			contentType: "application/json", body: `{"Id":"33","SyncToken":"3"}`,
		},
		{
			name: "send to an address",
			call: func(c *qb.Client) error { _, err := c.SendInvoice(ctx, "r-4", "130", "a@b.com"); return err },
			path: "/v3/company/123/invoice/130/send", params: url.Values{"sendTo": {"a@b.com"}, "requestid": {"r-4"}, "minorversion": {"75"}},
			contentType: "application/octet-stream",
		},
		{
			name: "send to the bill e-mail",
			call: func(c *qb.Client) error { _, err := c.SendInvoice(ctx, "r-5", "130", ""); return err },
			path: "/v3/company/123/invoice/130/send", params: url.Values{"requestid": {"r-5"}, "minorversion": {"75"}},
			contentType: "application/octet-stream",
		},
		{
			name: "customer sparse update",
			call: func(c *qb.Client) error {
				_, err := c.UpdateCustomer(ctx, "r-6", qb.Customer{ID: "1", SyncToken: "2", PrimaryEmailAddr: &qb.EmailAddress{Address: "x@y.com"}})
				return err
			},
			path: "/v3/company/123/customer", params: url.Values{"requestid": {"r-6"}, "minorversion": {"75"}},
			contentType: "application/json",
			body:        `{"Id":"1","SyncToken":"2","sparse":true,"PrimaryEmailAddr":{"Address":"x@y.com"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer := invoiceAnswer
			if tt.name == "customer sparse update" {
				answer = `{"Customer":{"Id":"1","SyncToken":"3"},"time":"2015-07-24T10:33:39.11-07:00"}`
			}
			c, got := recordingClient(t, answer)
			if err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			if len(*got) != 1 {
				t.Fatalf("%d requests", len(*got))
			}
			r := (*got)[0]
			testkit.Eq(t, "method", r.method, http.MethodPost)
			testkit.Eq(t, "path", r.path, tt.path)
			if !reflect.DeepEqual(r.query, tt.params) {
				t.Errorf("params = %v, want %v", r.query, tt.params)
			}
			testkit.Eq(t, "Content-Type", r.header.Get("Content-Type"), tt.contentType)
			testkit.Eq(t, "Accept", r.header.Get("Accept"), "application/json")
			testkit.Eq(t, "Authorization", r.header.Get("Authorization"), "Bearer at")
			if tt.body == "" {
				testkit.Eq(t, "body", string(r.body), "")
				return
			}
			var g, w any
			_ = json.Unmarshal(r.body, &g)
			_ = json.Unmarshal([]byte(tt.body), &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("body = %s, want %s", r.body, tt.body)
			}
		})
	}
}

func TestQueryIsEscapedInTheURL(t *testing.T) {
	c, got := recordingClient(t, `{"QueryResponse":{},"time":"2015-07-24T10:33:39.11-07:00"}`)
	found, err := c.CustomerByDisplayName(context.Background(), "Amy's Bird Sanctuary")
	if err != nil || found != nil {
		t.Fatalf("empty answer: %v %v", found, err)
	}
	r := (*got)[0]
	testkit.Eq(t, "method", r.method, http.MethodGet)
	testkit.Eq(t, "path", r.path, "/v3/company/123/query")
	testkit.Eq(t, "query", r.query.Get("query"), `SELECT * FROM Customer WHERE DisplayName = 'Amy\'s Bird Sanctuary'`)
}

func TestPDFAsksForPDF(t *testing.T) {
	c, got := recordingClient(t, "%PDF-1.4")
	rc, err := c.InvoicePDF(context.Background(), "130")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	_ = rc.Close()
	testkit.Eq(t, "body", string(b), "%PDF-1.4")
	testkit.Eq(t, "Accept", (*got)[0].header.Get("Accept"), "application/pdf")
	testkit.Eq(t, "path", (*got)[0].path, "/v3/company/123/invoice/130/pdf")
}

func TestFaultInsideA200(t *testing.T) {
	c, _ := recordingClient(t, `{"Fault":{"Error":[{"Message":"Object Not Found","Detail":"x","code":"610"}],"type":"ValidationFault"},"time":"2015-07-24T10:33:39.11-07:00"}`)
	_, err := c.Invoice(context.Background(), "1")
	if f := faultOf(t, err); f.Code() != "610" || f.StatusCode != 200 {
		t.Errorf("fault = %+v", f)
	}
}

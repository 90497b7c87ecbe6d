package pipedrive

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

// This file holds the writes a team shares state through: custom field definitions, and custom field
// values on organizations and deals (API v2).

type newField struct {
	Name string `json:"field_name"`
	Type string `json:"field_type"`
}

// CreateOrganizationField adds a custom organization field of the type (e.g. "varchar"). Users without
// permission to change the company's fields get ErrForbidden.
func (c *Client) CreateOrganizationField(ctx context.Context, name, fieldType string) (Field, error) {
	return c.createField(ctx, "organizationFields", name, fieldType)
}

// CreateDealField adds a custom deal field of the type (e.g. "varchar", "monetary").
func (c *Client) CreateDealField(ctx context.Context, name, fieldType string) (Field, error) {
	return c.createField(ctx, "dealFields", name, fieldType)
}

func (c *Client) createField(ctx context.Context, kind, name, fieldType string) (Field, error) {
	if name == "" || fieldType == "" {
		return Field{}, errors.New("pipedrive: a field needs a name and a type")
	}
	var f Field
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/api/v2/" + kind, body: newField{name, fieldType}}, &f)
	return f, err
}

type customFieldsBody struct {
	CustomFields map[string]any `json:"custom_fields"`
}

// UpdateOrganizationFields sets custom field values of an organization by field code; a nil value clears
// the field (PATCH /api/v2/organizations/{id}, 5 tokens).
func (c *Client) UpdateOrganizationFields(ctx context.Context, orgID int64, values map[string]any) error {
	if orgID <= 0 || len(values) == 0 {
		return errors.New("pipedrive: an organization update needs an id and values")
	}
	path := "/api/v2/organizations/" + strconv.FormatInt(orgID, 10)
	_, err := c.do(ctx, request{method: http.MethodPatch, path: path, body: customFieldsBody{values}}, nil)
	return err
}

// UpdateDealFields sets custom field values of a deal by field code; a nil value clears the field
// (PATCH /api/v2/deals/{id}, 5 tokens).
func (c *Client) UpdateDealFields(ctx context.Context, dealID int64, values map[string]any) error {
	if dealID <= 0 || len(values) == 0 {
		return errors.New("pipedrive: a deal update needs an id and values")
	}
	_, err := c.do(ctx, request{method: http.MethodPatch, path: dealPath(dealID), body: customFieldsBody{values}}, nil)
	return err
}

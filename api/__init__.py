"""docready's HTTP shell (FastAPI): translates requests to library calls, nothing more.

`create_app()` in api.app; `docready serve` runs it with uvicorn. Endpoints: `POST /v1/checks`
(an application: multipart `files` and fields), `POST /v1/documents/check` (one `file`),
`POST /v1/fields/validate` (JSON form fields), `GET /v1/policies`, `GET /v1/finding-codes`,
`GET /healthz`, `GET /readyz`, OpenAPI at `/docs`, and the intake demo page at `/`.

Status codes, all errors as RFC 9457 `application/problem+json` (api.errors):
- 413: the body over `max_request_bytes` (from Content-Length, else while streaming), a file
  over `max_file_bytes`, or a text field over 64 KiB; refused without reading the rest.
- 415: a body that is not multipart/form-data; on /v1/documents/check also a file of a type
  docready cannot read (the `file_unsupported` finding comes with the problem). On /v1/checks
  such a file is a finding in the 200 report, with everything else to fix.
- 422: a malformed or unknown field, named in `errors` (also one file over `max_files`).
- 401: API keys are set and `X-API-Key` is not one of them.
- 503: no worker free within `queue_timeout_seconds` (with Retry-After), a check over
  `check_timeout_seconds`, or no OCR engine installed.
Pixel and page limits (the policy's, lowered by settings) are findings in the report.
"""

# syntax=docker/dockerfile:1
# cxreports-mcp in a container: one static binary on a distroless base,
# running as a non-root user. No token is baked in: pass it at run time.
#
#   docker build -t cxreports-mcp --build-arg VERSION=v0.1.0 --build-arg COMMIT=$(git rev-parse --short HEAD) .
#
# MCP over stdio (what desktop clients launch; -i keeps stdin open):
#   docker run -i --rm -e CXREPORTS_URL -e CXREPORTS_TOKEN -e CXREPORTS_WORKSPACE \
#     -v "$HOME/Downloads/CxReports:/exports" cxreports-mcp
# Check the settings:   docker run --rm -e CXREPORTS_URL -e CXREPORTS_TOKEN cxreports-mcp doctor
# Try it without CxReports:   docker run -i --rm cxreports-mcp --demo
# Over HTTP, pass the transport flags, e.g. --transport http, and publish the port.
# A token file works too: -e CXREPORTS_TOKEN_FILE=/run/secrets/cxreports_token.

FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH
ARG VERSION=dev
ARG COMMIT=unknown
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags "-s -w -X github.com/cxreports-mcp/cxreports-mcp/internal/app.version=${VERSION} -X github.com/cxreports-mcp/cxreports-mcp/internal/app.commit=${COMMIT}" \
      -o /out/cxreports-mcp . \
 && mkdir /out/exports

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cxreports-mcp /cxreports-mcp
COPY --from=build --chown=65532:65532 /out/exports /exports
ENV CXREPORTS_OUTPUT_DIR=/exports
USER nonroot:nonroot
ENTRYPOINT ["/cxreports-mcp"]

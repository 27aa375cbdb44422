# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY third_party ./third_party
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/tianbao ./app && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tianbao /usr/local/bin/tianbao
COPY --from=build --chown=65532:65532 /out/data /data
ENV TIANBAO_ADDR=:8080 \
    TIANBAO_DATA_DIR=/data \
    TIANBAO_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/tianbao", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/tianbao"]

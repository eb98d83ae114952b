# Every deployable's image, built from the repository root with the deployable's project as a build argument:
#   docker build --build-arg PROJECT=services/catalog/MachCommerce.Catalog.csproj -t mach-commerce/catalog:1.0.0 .
#   (services/profiles/MachCommerce.Profiles.csproj, services/personalization/MachCommerce.Personalization.csproj,
#    services/identity/MachCommerce.Identity.csproj,
#    gateway/Gateway/MachCommerce.Gateway.csproj, frontends/console/MachCommerce.MerchantConsole.csproj)
# Stage 1 restores and publishes with the SDK; stage 2 is the ASP.NET runtime image with the published files only.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm restores GraphiQL's browser build, which the gateway's GraphQL engine embeds (gateway/GraphQL/Http/GraphiQL/package-lock.json).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
ARG PROJECT
RUN test -n "$PROJECT" || { echo "Name the deployable: --build-arg PROJECT=services/catalog/MachCommerce.Catalog.csproj" >&2; exit 1; }
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY platform/ platform/
COPY contracts/ contracts/
COPY services/ services/
COPY gateway/ gateway/
COPY frontends/ frontends/
# The assembly to run is named after the project; the runtime stage reads it from /app/entry-assembly.
RUN dotnet publish "$PROJECT" -c Release -o /app /p:UseAppHost=false \
    && basename "$PROJECT" .csproj | sed 's/$/.dll/' > /app/entry-assembly

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's unprivileged user (uid 1654); Kubernetes runs it with a read-only root filesystem and /tmp as emptyDir.
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_EnableDiagnostics=0
EXPOSE 8080
# exec: dotnet replaces the shell as PID 1 and receives SIGTERM itself.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/$(cat /app/entry-assembly)\""]

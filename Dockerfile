# Exemplar as a Label Studio ML backend: build with Maven, run on a JRE as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml plugin.yaml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
# the network is fetched when the registry is reachable; without it the image runs all but --features learned
RUN mvn -B -q -DskipTests package && mkdir -p target/network

FROM eclipse-temurin:17-jre
# a named volume at /data takes this ownership; a host folder mounted there must be writable by uid 10001
RUN useradd --system --create-home --uid 10001 exemplar && mkdir -p /data && chown exemplar /data
COPY --from=build /src/target/exemplar.jar /opt/exemplar/exemplar.jar
# the network of --features learned (summarize, simulate), which the build fetched; read beside the jar
COPY --from=build /src/target/network /opt/exemplar/network
USER exemplar
# every interface: Label Studio reaches the backend from another container
ENV EXEMPLAR_DATA_DIR=/data EXEMPLAR_PORT=9090 EXEMPLAR_HOST=0.0.0.0
VOLUME ["/data"]
EXPOSE 9090
# no curl in the JRE image: ask /health over bash's /dev/tcp
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${EXEMPLAR_PORT} && printf "GET /health HTTP/1.0\r\n\r\n" >&3 && grep -q "\"UP\"" <&3'
# the JVM's options, as the ./exemplar launcher reads them; by default the heap may take 75% of the container's
# memory (the JVM's own default is a quarter)
ENV EXEMPLAR_JAVA_OPTS="-XX:MaxRAMPercentage=75"
# the similarity kernels run on the JDK's incubating Vector API when its module is added (plain loops otherwise);
# a shell expands EXEMPLAR_JAVA_OPTS, then exec leaves java as PID 1 to receive the stop signal
ENTRYPOINT ["sh", "-c", "exec java --add-modules jdk.incubator.vector $EXEMPLAR_JAVA_OPTS -jar /opt/exemplar/exemplar.jar \"$@\"", "exemplar"]
CMD ["serve"]

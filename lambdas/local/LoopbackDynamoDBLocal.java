import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.monitoring.Telemetry;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local listening on 127.0.0.1 only. The jar has no bind option: its Jetty server
 * is built with `new Server(port)`, which listens on every interface, so anyone who reaches the port
 * could read and write the table (DynamoDB Local accepts any credentials). This builds the server
 * the way the jar's own main does, from the same command line, then sets each connector's host to
 * loopback before starting it. Telemetry stays off: only `-disableTelemetry` runs are started.
 *
 * Run with Java's source-file mode (JEP 330): `java -cp DynamoDBLocal.jar:DynamoDBLocal_lib/* LoopbackDynamoDBLocal.java <args>`.
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    boolean telemetryOff = false;
    for (String a : args) telemetryOff |= a.equals("-disableTelemetry");
    if (!telemetryOff) throw new IllegalArgumentException("-disableTelemetry is required");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Telemetry.configureTelemetry("local", "loopback", false);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    int bound = 0;
    for (Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector) {
        ((ServerConnector) c).setHost("127.0.0.1");
        bound++;
      }
    }
    if (bound == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind to loopback");
    proxy.start();
    System.out.println("DynamoDB Local listening on 127.0.0.1 only");
  }
}

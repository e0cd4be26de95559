/* server.h: libmicrohttpd glue — the listening server with its thread pool */
#ifndef AHP_SERVER_H
#define AHP_SERVER_H

struct app;
struct server;

/* Starts listening on app->cfg.listen with app->cfg.threads threads (poll). Returns 0,
 * APP_E_INVALID (bad address) or APP_E_IO (could not bind). */
int server_start(struct app *app, struct server **out);
/* Stops accepting, lets requests in flight finish, and frees the server. */
void server_stop(struct server *s);
/* The port actually bound (useful with port 0). */
int server_port(const struct server *s);

#endif

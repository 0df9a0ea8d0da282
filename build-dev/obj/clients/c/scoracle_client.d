build-dev/obj/clients/c/scoracle_client.o: clients/c/scoracle_client.c \
 clients/c/scoracle_client.h
clients/c/scoracle_client.h:

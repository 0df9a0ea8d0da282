build-dev/obj/clients/c/example.o: clients/c/example.c \
 clients/c/scoracle_client.h
clients/c/scoracle_client.h:

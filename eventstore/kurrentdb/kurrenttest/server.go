package kurrenttest

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

// serverVersion is the KurrentDB version the server reports. The client
// uses the version and the method list only to choose how to call
// persistent subscriptions, which this server does not offer.
const serverVersion = "24.10.0"

// keepalivePolicy lets clients ping every second, with or without a call
// in flight. The client pings every 10 s; grpc-go's default policy (5
// minutes) answers that with GOAWAY "too_many_pings" and drops live
// subscriptions.
var keepalivePolicy = keepalive.EnforcementPolicy{MinTime: time.Second, PermitWithoutStream: true}

// Server is an in-memory KurrentDB node. It is safe for concurrent use.
type Server struct {
	db   *db
	id   uuid.UUID
	addr string // host:port, fixed for the server's life

	mu   sync.Mutex
	grpc *grpc.Server // nil while stopped
	done chan struct{}
}

// Start starts a server on 127.0.0.1 on a free port; it stops when the test
// ends.
func Start(t testing.TB) *Server {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("kurrenttest: listen: %v", err)
	}
	s := &Server{db: newDB(), id: uuid.New(), addr: lis.Addr().String()}
	s.serve(lis)
	t.Cleanup(s.Stop)
	return s
}

// URL is the connection string of the server for the esdb client.
func (s *Server) URL() string { return "esdb://" + s.addr + "?tls=false" }

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// Stop closes the listener and every connection, failing calls in flight
// and dropping subscriptions, as a crashed node or a cut network would.
// The data stays; Restart serves it again. Stop is idempotent.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grpc == nil {
		return
	}
	s.grpc.Stop()
	<-s.done
	s.grpc = nil
}

// Restart stops the server if it runs and listens again on the same port,
// with the same data.
func (s *Server) Restart() error {
	s.Stop()
	lis, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("kurrenttest: listen again on %s: %w", s.addr, err)
	}
	s.serve(lis)
	return nil
}

// serve registers the services and serves lis until Stop.
func (s *Server) serve(lis net.Listener) {
	srv := grpc.NewServer(grpc.KeepaliveEnforcementPolicy(keepalivePolicy))
	api.RegisterStreamsServer(srv, &streams{db: s.db})
	serverfeatures.RegisterServerFeaturesServer(srv, features{})
	gossip.RegisterGossipServer(srv, &gossipService{server: s})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grpc, s.done = srv, done
}

// features answers the client's first call on a connection.
type features struct {
	serverfeatures.UnimplementedServerFeaturesServer
}

// GetSupportedMethods lists the Streams methods the server implements.
func (features) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	const service = "event_store.client.streams.streams"
	return &serverfeatures.SupportedMethods{
		EventStoreServerVersion: serverVersion,
		Methods: []*serverfeatures.SupportedMethod{
			{MethodName: "read", ServiceName: service},
			{MethodName: "append", ServiceName: service},
		},
	}, nil
}

// gossipService describes a one-node cluster whose leader is the server;
// the client asks for it when given several seeds or esdb+discover://.
type gossipService struct {
	gossip.UnimplementedGossipServer
	server *Server
}

// Read implements gossip.
func (g *gossipService) Read(context.Context, *shared.Empty) (*gossip.ClusterInfo, error) {
	host, portText, err := net.SplitHostPort(g.server.addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, err
	}
	return &gossip.ClusterInfo{Members: []*gossip.MemberInfo{{
		InstanceId:   structuredUUID(g.server.id),
		TimeStamp:    time.Now().UnixNano() / 100,
		State:        gossip.MemberInfo_Leader,
		IsAlive:      true,
		HttpEndPoint: &gossip.EndPoint{Address: host, Port: uint32(port)},
	}}}, nil
}

import Testing
import VPCEngine
import VPCModel

/// `ObservationReader` (traffic seen at an interface → the flow to evaluate) and `FlowLogRule` (which
/// interface logs ACCEPT or REJECT) on a small network with one of each thing they tell apart
/// (Fixtures/networks/observations.yaml says what).
@Suite struct ObservationTests {
    static let path = fixturePath("Fixtures/networks/observations.yaml")

    struct Fixture {
        let plane: DataPlane
        let evaluator: Evaluator
        let reader: ObservationReader
        let web: UInt32
        let app: UInt32
        let nat: UInt32

        init() throws {
            let network = try TopologyLoader.load(path: ObservationTests.path).network
            plane = DataPlane(network)
            evaluator = Evaluator(plane)
            reader = ObservationReader(plane)
            func index(_ name: String) throws -> UInt32 {
                UInt32(try #require(network.interfaces.firstIndex { $0.name == name }, "no interface \(name)"))
            }
            web = try index("web")
            app = try index("app")
            let natInterface = network.interfaces.firstIndex { if case .natGateway = $0.owner { return true } else { return false } }
            nat = UInt32(try #require(natInterface))
        }

        var webPublicIP: UInt32 { plane.interfaces[Int(web)].publicIP }

        func read(_ source: String, _ sourcePort: UInt16, _ destination: String, _ destinationPort: UInt16, ipProtocol: UInt8 = 6,
                  at interfaces: [UInt32], _ orientation: TrafficObservation.Orientation = .eitherWay) -> ObservationReading {
            reader.read(TrafficObservation(sourceAddress: ip(source), destinationAddress: ip(destination), sourcePort: sourcePort,
                                           destinationPort: destinationPort, ipProtocol: ipProtocol, at: interfaces,
                                           orientation: orientation))
        }

        func entries(_ flow: Flow) -> [FlowLogEntry] {
            FlowLogRule.entries(of: flow, events: evaluator.trace(flow).1, in: plane)
        }
    }

    // MARK: - Reading observations

    @Test func aRequestAndItsResponseAtTheClientReadAsTheSameFlow() throws {
        let f = try Fixture()
        let request = f.read("10.0.11.10", 40000, "8.8.8.8", 443, at: [f.app])
        let response = f.read("8.8.8.8", 443, "10.0.11.10", 40000, at: [f.app])
        let flow = Flow(source: f.app, destination: ip("8.8.8.8"), ipProtocol: 6, sourcePort: 40000, destinationPort: 443)
        #expect(request == .flow(FlowAtInterface(flow: flow, interface: f.app, end: .client, direction: .request)))
        #expect(response == .flow(FlowAtInterface(flow: flow, interface: f.app, end: .client, direction: .response)))
    }

    @Test func aPublicClientIsTheInternetAddressingTheServersPublicIP() throws {
        let f = try Fixture()
        let flow = Flow(source: Flow.internet, externalSource: ip("198.51.100.7"), destination: f.webPublicIP, ipProtocol: 6,
                        sourcePort: 50000, destinationPort: 443)
        #expect(f.read("198.51.100.7", 50000, "10.0.1.10", 443, at: [f.web])
            == .flow(FlowAtInterface(flow: flow, interface: f.web, end: .server, direction: .request)))
        #expect(f.read("10.0.1.10", 443, "198.51.100.7", 50000, at: [f.web])
            == .flow(FlowAtInterface(flow: flow, interface: f.web, end: .server, direction: .response)))
    }

    @Test func aPrivateClientIsTheInterfaceHoldingItsAddress() throws {
        let f = try Fixture()
        let flow = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 6, sourcePort: 40000, destinationPort: 8443)
        #expect(f.read("10.0.1.10", 8443, "10.0.11.10", 40000, at: [f.web])
            == .flow(FlowAtInterface(flow: flow, interface: f.web, end: .server, direction: .response)))
    }

    @Test func aConversationOrientedFromItsClientIsARequestWhateverItsPorts() throws {
        let f = try Fixture()
        // Ports 443 → 50000 would read as a response in a flow log record; a capture knows better.
        let flow = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 6, sourcePort: 443, destinationPort: 50000)
        #expect(f.read("10.0.11.10", 443, "10.0.1.10", 50000, at: [f.app], .fromClient)
            == .flow(FlowAtInterface(flow: flow, interface: f.app, end: .client, direction: .request)))
        guard case .flow(let record) = f.read("10.0.11.10", 443, "10.0.1.10", 50000, at: [f.app]) else {
            Issue.record("a flow log record from port 443 to 50000 is a flow")
            return
        }
        #expect(record.direction == .response && record.end == .server)
    }

    @Test func icmpIsAnEchoRequestWithoutPortsAndOtherProtocolsCarryNone() throws {
        let f = try Fixture()
        let echo = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 1, icmpType: 8)
        #expect(f.read("10.0.11.10", 0, "10.0.1.10", 0, ipProtocol: 1, at: [f.app])
            == .flow(FlowAtInterface(flow: echo, interface: f.app, end: .client, direction: .request)))
        let gre = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 47)
        #expect(f.read("10.0.11.10", 7, "10.0.1.10", 9, ipProtocol: 47, at: [f.app])
            == .flow(FlowAtInterface(flow: gre, interface: f.app, end: .client, direction: .request)))
    }

    @Test func ofSeveralInterfacesTheSenderIsReadFirst() throws {
        let f = try Fixture()
        guard case .flow(let seen) = f.read("10.0.1.10", 40000, "10.0.11.10", 443, at: [f.app, f.web], .fromClient) else {
            Issue.record("web → app at [app, web] is a flow")
            return
        }
        #expect(seen.interface == f.web && seen.end == .client && seen.interfaceSent)
    }

    @Test func eachSkipReason() throws {
        let f = try Fixture()
        #expect(f.read("10.0.11.10", 40000, "8.8.8.8", 443, at: [f.nat]) == .skipped(.natGatewayInterface))
        #expect(f.read("10.0.11.99", 40000, "8.8.8.8", 443, at: [f.app]) == .skipped(.notAtInterface))
        #expect(f.read("10.0.1.100", 40000, "10.0.1.10", 443, at: [f.web]) == .skipped(.clientBehindNATGateway))
        #expect(f.read("198.51.100.7", 50000, "10.0.11.10", 443, at: [f.app]) == .skipped(.noPublicIP))
        #expect(f.read("10.99.0.5", 50000, "10.0.11.10", 443, at: [f.app]) == .skipped(.unknownPeer))
        #expect(f.read("10.0.11.10", 40000, "8.8.8.8", 443, at: []) == .skipped(.notAtInterface))
        #expect(Set(ObservationSkip.allCases.map(\.description)).count == ObservationSkip.allCases.count)
    }

    // MARK: - Which interface logs what

    @Test func aDeliveredFlowThroughANATGatewayIsAcceptedWhereverItIsSeen() throws {
        let f = try Fixture()
        let flow = Flow(source: f.app, destination: ip("8.8.8.8"), ipProtocol: 6, sourcePort: 40000, destinationPort: 443)
        #expect(f.entries(flow) == [
            FlowLogEntry(interface: f.app, direction: .request, action: .accept),
            FlowLogEntry(interface: f.nat, direction: .request, action: .accept),
            FlowLogEntry(interface: f.nat, direction: .response, action: .accept),
            FlowLogEntry(interface: f.app, direction: .response, action: .accept),
        ])
    }

    @Test func aSecurityGroupDenyingEntryIsARejectAtTheDestinationOnly() throws {
        let f = try Fixture()
        let flow = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 6, sourcePort: 40000, destinationPort: 22)
        #expect(f.entries(flow) == [
            FlowLogEntry(interface: f.app, direction: .request, action: .accept),
            FlowLogEntry(interface: f.web, direction: .request, action: .reject),
        ])
        let events = f.evaluator.trace(flow).1
        #expect(FlowLogRule.action(at: f.web, for: .response, of: flow, events: events, in: f.plane) == nil)
        #expect(FlowLogRule.rejection(of: flow, events: events, in: f.plane) == FlowLogEntry(interface: f.web, direction: .request, action: .reject))
    }

    @Test func anACLDenyingExitIsARejectAtTheInterfaceLeaving() throws {
        let f = try Fixture()
        let flow = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 6, sourcePort: 40000, destinationPort: 25)
        #expect(f.entries(flow) == [FlowLogEntry(interface: f.app, direction: .request, action: .reject)])
    }

    @Test func anACLDenyingEntryIsARejectAtTheInterfaceEnteredEvenANATGateway() throws {
        let f = try Fixture()
        let toWeb = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 6, sourcePort: 40000, destinationPort: 8080)
        #expect(f.entries(toWeb) == [
            FlowLogEntry(interface: f.app, direction: .request, action: .accept),
            FlowLogEntry(interface: f.web, direction: .request, action: .reject),
        ])
        let toInternet = Flow(source: f.app, destination: ip("8.8.8.8"), ipProtocol: 6, sourcePort: 40000, destinationPort: 8080)
        #expect(f.entries(toInternet) == [
            FlowLogEntry(interface: f.app, direction: .request, action: .accept),
            FlowLogEntry(interface: f.nat, direction: .request, action: .reject),
        ])
    }

    @Test func aResponseDeniedBackIntoTheClientsSubnetIsAcceptedOutboundAndRejectedBack() throws {
        let f = try Fixture()
        let flow = Flow(source: f.app, destination: ip("10.0.1.10"), ipProtocol: 6, sourcePort: 41000, destinationPort: 8443)
        #expect(f.entries(flow) == [
            FlowLogEntry(interface: f.app, direction: .request, action: .accept),
            FlowLogEntry(interface: f.web, direction: .request, action: .accept),
            FlowLogEntry(interface: f.web, direction: .response, action: .accept),
            FlowLogEntry(interface: f.app, direction: .response, action: .reject),
        ])
    }

    @Test func dropsThatAreNotFiltersAreNoRejectAnywhere() throws {
        let f = try Fixture()
        let blackhole = Flow(source: f.app, destination: ip("192.0.2.5"), ipProtocol: 6, sourcePort: 40000, destinationPort: 443)
        #expect(f.evaluator.evaluate(blackhole).reason == .badStateRoute)
        #expect(f.entries(blackhole) == [FlowLogEntry(interface: f.app, direction: .request, action: .accept)])
        // A NAT gateway starts no flow; its interface still logs what it was made to send.
        let fromNAT = Flow(source: f.nat, destination: ip("8.8.8.8"), ipProtocol: 6, sourcePort: 40000, destinationPort: 443)
        #expect(f.entries(fromNAT) == [FlowLogEntry(interface: f.nat, direction: .request, action: .accept)])
        #expect(!FlowLogRule.isLoggedAsReject(.noRouteToDestination) && FlowLogRule.isLoggedAsReject(.subnetACLRestriction))
    }
}

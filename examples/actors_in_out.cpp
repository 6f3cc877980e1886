// Application actors feeding a job and consuming its output.
//
// A `shop` actor sends purchases (customer, amount) into the job's ingress
// stage; the job sums the amounts per customer; a typed `ledger` actor
// receives the running totals through the egress stage, asking for more as
// it goes. Both sides follow the protocol with the helpers the library
// offers: ingress_producer and egress_receiver.

#include <caf/all.hpp>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <sluice.hpp>

namespace {

using purchase = std::pair<std::string, uint64_t>;

// -- the consumer: a typed actor ----------------------------------------------

using ledger_actor = sluice::egress_consumer_actor<purchase>;

struct ledger_state {
  sluice::egress_receiver<purchase> receiver{256};
  std::map<std::string, uint64_t> totals;
};

ledger_actor::behavior_type
ledger(ledger_actor::stateful_pointer<ledger_state> self) {
  return {
    // A typed actor sends to the untyped egress instances anonymously.
    [=](const sluice::egress_hello& hello) {
      caf::anon_send(hello.sender, self->state.receiver.on_hello(hello));
    },
    [=](const sluice::egress_header& h, std::vector<purchase>& xs) {
      auto& st = self->state;
      for (auto& [customer, total] : st.receiver.on_records(h, xs))
        st.totals[customer] = total; // a changelog: the latest total wins
      if (auto d = st.receiver.demand(h.instance))
        caf::anon_send(st.receiver.instance(h.instance), *d);
    },
    [=](const sluice::egress_end& end) {
      auto& st = self->state;
      st.receiver.on_end(end);
      if (!st.receiver.ended())
        return;
      // One piece of output: lines from other actors cannot come between.
      std::string report;
      for (auto& [customer, total] : st.totals)
        report += customer + " spent " + std::to_string(total) + "\n";
      aout(self) << report << std::flush;
      self->quit();
    },
  };
}

// -- the producer -------------------------------------------------------------

struct shop_state {
  sluice::ingress_producer<purchase> producer{1};
  caf::actor gateway;
};

void send_all(caf::stateful_actor<shop_state>* self) {
  auto& st = self->state;
  while (auto m = st.producer.next(128))
    self->send(st.producer.instance(), m->first, std::move(m->second));
}

caf::behavior shop(caf::stateful_actor<shop_state>* self, caf::actor gateway,
                   uint64_t purchases) {
  auto& st = self->state;
  st.gateway = gateway;
  const std::vector<std::string> customers{"ada", "bo", "cy", "dee"};
  for (uint64_t i = 0; i < purchases; ++i)
    st.producer.push({customers[i % customers.size()], 1 + i % 7});
  self->send(gateway, st.producer.open(self));
  self->set_down_handler([self](caf::down_msg&) {
    // The instance we sent to is gone: open again and send what it did not
    // acknowledge.
    self->state.producer.on_instance_lost();
    self->send(self->state.gateway, self->state.producer.open(self));
  });
  return {
    [=](const sluice::ingress_credit& c) {
      self->state.producer.on_credit(c);
      self->monitor(c.instance);
      send_all(self);
    },
    [=](const sluice::ingress_ack& a) {
      self->state.producer.on_ack(a);
      if (self->state.producer.unacknowledged() == 0)
        aout(self) << "shop: every purchase acknowledged" << std::endl;
    },
    [=](const sluice::ingress_rejected& r) {
      aout(self) << "shop: " << r.reason << std::endl;
      self->state.producer.on_rejected(r);
      self->send(self->state.gateway, self->state.producer.open(self));
    },
  };
}

} // namespace

int main() {
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  caf::actor_system sys{cfg};
  auto books = sys.spawn(ledger);
  sluice::job_builder job{"shop"};
  job.settings().checkpoints.store = "actors-in-out.db";
  job.settings().checkpoints.interval = std::chrono::milliseconds(100);
  job.ingress<purchase>("purchases")
    .key_by([](const purchase& p) { return p.first; })
    .reduce("totals",
            [](const purchase& acc, const purchase& p) {
              return purchase{acc.first, acc.second + p.second};
            })
    .egress("ledger", books);
  auto handle = job.start(sys, sluice::resume::fresh());
  if (!handle) {
    std::cerr << sluice::describe(handle.error()) << std::endl;
    return 1;
  }
  auto feeder = sys.spawn(shop, handle->ingress("purchases"), 10000);
  // Stop once the shop's purchases are in a checkpoint: the final
  // checkpoint delivers the last totals.
  caf::scoped_actor self{sys};
  self->monitor(feeder);
  while (handle->metrics().sum("purchases",
                               &sluice::actors::instance_metrics::records_in)
         < 10000)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  handle->stop();
  auto report = handle->wait();
  if (!report) {
    std::cerr << sluice::describe(report.error()) << std::endl;
    return 1;
  }
  self->send_exit(feeder, caf::exit_reason::user_shutdown);
  // The ledger ends once it has every instance's end.
  self->monitor(books);
  for (bool ledger_done = false; !ledger_done;)
    self->receive([&](const caf::down_msg& dm) {
      ledger_done = dm.source == books.address();
    });
  std::cout << report->completed_checkpoints() << " checkpoints" << std::endl;
}

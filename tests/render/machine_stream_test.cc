// The streamed machine outputs (JSON, SARIF, CSV, Markdown) on models
// built by hand: the sink and the string forms are the same bytes, and an
// object that used to be built by assignment (`clear`, the metrics) keeps
// that meaning when a key comes twice: first place, last value.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/render.h"
#include "render/sink.h"

namespace tmc::render {
namespace {

class ChunkSink : public Sink {
 public:
  ChunkSink() : Sink(7) {}
  std::string text;
  size_t chunks = 0;

 protected:
  void take(std::string_view chunk) override {
    text.append(chunk);
    ++chunks;
  }
};

struct HandModel {
  SourceManager sources;
  model::Model m;
  analyze::Analysis a;
  HandModel() {
    uint32_t file = sources.add("hand \"made\".tm.yaml", "tmc: 1\n");
    m.title = "Hand-made \xe2\x80\xa8 model \x01 with \"quotes\" and \xff bad bytes";
    m.files = {"hand \"made\".tm.yaml"};
    model::Element e;
    e.id = "api";
    e.name = "API";
    e.location = {file, 3, 5};
    // `clear: { S: first, T: tee, s: second }`: 's' is read as 'S'.
    e.clear = {{model::Stride::S, "first S", {}}, {model::Stride::T, "tee", {}}, {model::Stride::S, "second S", {}}};
    m.elements.push_back(e);
    a.today = Date{2026, 11, 22};
    a.metrics.per_bucket = {{"fix-now", 1}, {"watch", 2}, {"fix-now", 3}};
  }
  RenderInput input() const { return {m, a, sources}; }
};

TEST(MachineStream, ARepeatedClearLetterKeepsItsFirstPlaceAndLastReason) {
  HandModel h;
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(model_json(h.input()));
  EXPECT_EQ(json["model"]["elements"][0]["clear"].dump(), R"({"S":"second S","T":"tee"})");
  EXPECT_EQ(json["analysis"]["metrics"]["per_bucket"].dump(), R"({"fix-now":3,"watch":2})");
  // Invalid UTF-8 is replaced, U+2028 and controls survive as JSON.
  EXPECT_EQ(json["model"]["title"], "Hand-made \xe2\x80\xa8 model \x01 with \"quotes\" and \xef\xbf\xbd bad bytes");
}

TEST(MachineStream, SinkAndStringFormsAreTheSameBytesInManyChunks) {
  HandModel h;
  RenderInput input = h.input();
  ChunkSink json, sarif_out, csv, brief, full;
  model_json(input, json);
  sarif(input, 3, sarif_out);
  threats_csv(input, csv);
  report_markdown(input, ReportTemplate::brief, {}, brief);
  report_markdown(input, ReportTemplate::full, {}, full);
  for (ChunkSink* sink : {&json, &sarif_out, &csv, &brief, &full}) sink->flush();
  EXPECT_EQ(json.text, model_json(input));
  EXPECT_EQ(sarif_out.text, sarif(input, 3));
  EXPECT_EQ(csv.text, threats_csv(input));
  EXPECT_EQ(brief.text, report_markdown(input, ReportTemplate::brief));
  EXPECT_EQ(full.text, report_markdown(input, ReportTemplate::full));
  EXPECT_GT(json.chunks, json.text.size() / 7);  // handed on as it was produced
}

}  // namespace
}  // namespace tmc::render
